#include "server/metrics.hpp"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <unistd.h>

#include <algorithm>

#include "common/version.hpp"
#include "server/metric_families.hpp"

namespace coroserve {

namespace {

using namespace prom;

std::string method_label(int verb) {
  const auto v = static_cast<http::verb>(verb);
  return v == http::verb::unknown ? "OTHER" : std::string(http::to_string(v));
}

std::string route_label(const std::string& route) {
  return route.empty() ? "unmatched" : route;
}

}  // namespace

Metrics::RouteStats::RouteStats() : latency(make_latency_histogram()) {}

Metrics::Metrics() : lag_(make_latency_histogram()) {}

Metrics::RouteStats& Metrics::route_stats(std::string_view route) {
  // Requests in a row mostly share a route: the last one is tried before
  // hashing. (A map's elements keep their address when it rehashes.)
  if (last_route_ != nullptr && last_route_->first == route) return last_route_->second;
  // Routes are a fixed, small set: after the first request of each, this
  // finds an existing entry without allocating.
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  last_route_ = &*it;
  return it->second;
}

void Metrics::record_request(std::string_view route, http::verb method, unsigned status,
                             std::chrono::nanoseconds duration, std::optional<ShedReason> shed) {
  ++requests_total_;
  auto& r = route_stats(route);
  ++r.by_method_status[{static_cast<int>(method), status}];
  if (shed) {
    shed_.record(*shed, duration);
  } else {
    r.latency.record(duration.count());
  }
}

void Metrics::record_loop_lag(std::chrono::nanoseconds lag) {
  lag_last_ = lag;
  lag_.record(lag.count());
  lag_recent_[lag_next_] = lag.count();
  lag_next_ = (lag_next_ + 1) % lag_recent_.size();
}

std::chrono::nanoseconds Metrics::loop_lag_recent_max() const {
  return std::chrono::nanoseconds(*std::max_element(lag_recent_.begin(), lag_recent_.end()));
}

// Requests by route, method and status, and their latency by route.
void Metrics::add_request_families(std::vector<MetricFamily>& f) const {
  std::vector<ClientMetric> requests, latencies;
  for (const auto& [route, stats] : routes_) {
    for (const auto& [key, count] : stats.by_method_status) {
      requests.push_back(
          counter(static_cast<double>(count), {{"route", route_label(route)},
                                               {"method", method_label(key.first)},
                                               {"status", std::to_string(key.second)}}));
    }
    latencies.push_back(histogram(stats.latency, {{"route", route_label(route)}}));
  }
  f.push_back(family("coroserve_http_requests_total", "HTTP requests answered", MetricType::Counter,
                     std::move(requests)));
  f.push_back(family("coroserve_http_request_duration_seconds",
                     "Time from the first byte of a request to its response written (requests "
                     "shed are timed in coroserve_shed_duration_seconds instead)",
                     MetricType::Histogram, std::move(latencies)));
  shed_.add_families(f);
}

void Metrics::add_connection_families(std::vector<MetricFamily>& f, const ScrapeInputs& in) const {
  f.push_back(family("coroserve_connections_open", "Open client connections", MetricType::Gauge,
                     {gauge(static_cast<double>(in.connections_open))}));
  f.push_back(family("coroserve_connections_parked",
                     "Idle keep-alive connections parked without a session (--idle-park-ms)",
                     MetricType::Gauge, {gauge(static_cast<double>(in.connections_parked))}));
  f.push_back(family("coroserve_connections_accepted_total", "Connections accepted",
                     MetricType::Counter, {counter(static_cast<double>(connections_accepted))}));
  f.push_back(family("coroserve_connections_rejected_total",
                     "Connections refused past --max-connections", MetricType::Counter,
                     {counter(static_cast<double>(connections_rejected))}));
}

// The pool's own atomics, and what happened to offloaded requests.
void Metrics::add_pool_families(std::vector<MetricFamily>& f, const PoolStats& pool) const {
  f.push_back(
      family("coroserve_pool_threads", "Worker threads", MetricType::Gauge, {gauge(pool.threads)}));
  f.push_back(family("coroserve_pool_busy_threads", "Worker threads running a task now",
                     MetricType::Gauge, {gauge(static_cast<double>(pool.busy))}));
  f.push_back(family("coroserve_pool_queue_depth", "Tasks waiting for a worker", MetricType::Gauge,
                     {gauge(static_cast<double>(pool.queued))}));
  f.push_back(family("coroserve_pool_queued_clients", "Clients with CPU parts waiting",
                     MetricType::Gauge, {gauge(static_cast<double>(pool.clients))}));
  f.push_back(family("coroserve_pool_shedding",
                     "1 while the queue stands above --queue-target-ms and work that would wait "
                     "longer is refused",
                     MetricType::Gauge, {gauge(pool.shedding ? 1 : 0)}));
  f.push_back(family("coroserve_pool_part_seconds",
                     "Mean wall time of a CPU part (moving average): the drain rate behind "
                     "admission and Retry-After",
                     MetricType::Gauge, {gauge(static_cast<double>(pool.service_us) / 1e6)}));
  f.push_back(family("coroserve_pool_tasks_total", "Pool tasks by outcome", MetricType::Counter,
                     {counter(static_cast<double>(pool.done), {{"outcome", "done"}}),
                      counter(static_cast<double>(pool.failed), {{"outcome", "failed"}}),
                      counter(static_cast<double>(pool.rejected), {{"outcome", "rejected"}}),
                      counter(static_cast<double>(pool.skipped), {{"outcome", "skipped"}})}));
  f.push_back(family("coroserve_cpu_on_loop_total",
                     "CPU requests run on the event loop (where=loop)", MetricType::Counter,
                     {counter(static_cast<double>(cpu_on_loop))}));
  f.push_back(family("coroserve_deadline_exceeded_total",
                     "CPU requests answered 504 because their deadline passed", MetricType::Counter,
                     {counter(static_cast<double>(deadline_queued), {{"stage", "queued"}}),
                      counter(static_cast<double>(deadline_running), {{"stage", "running"}})}));
  f.push_back(family("coroserve_client_gone_total",
                     "Offloaded requests abandoned because the client disconnected",
                     MetricType::Counter, {counter(static_cast<double>(client_gone))}));
}

void Metrics::add_process_families(std::vector<MetricFamily>& f, const ScrapeInputs& in) const {
  f.push_back(family("coroserve_event_loop_lag_seconds",
                     "How late the loop's 50 ms timer fires: high when something blocks the loop",
                     MetricType::Histogram, {histogram(lag_, Labels())}));
  f.push_back(family("coroserve_event_loop_lag_last_seconds", "The latest loop lag sample",
                     MetricType::Gauge, {gauge(static_cast<double>(lag_last_.count()) / 1e9)}));
  f.push_back(family("coroserve_log_lines_dropped_total",
                     "Log lines (mostly access lines) dropped because the log writer fell behind",
                     MetricType::Counter, {counter(static_cast<double>(in.log_lines_dropped))}));
  f.push_back(family("coroserve_draining", "1 while draining after SIGTERM/SIGINT",
                     MetricType::Gauge, {gauge(in.draining ? 1 : 0)}));
  f.push_back(family("coroserve_uptime_seconds", "Seconds since start", MetricType::Gauge,
                     {gauge(in.uptime_s)}));
  f.push_back(family("coroserve_build_info", "Build information", MetricType::Gauge,
                     {gauge(1, {{"version", kVersion}})}));
}

std::string Metrics::prometheus_text(const ScrapeInputs& in) const {
  std::vector<MetricFamily> f;
  add_request_families(f);
  add_connection_families(f, in);
  add_pool_families(f, in.pool);
  add_process_families(f, in);
  if (in.tls) tls.add_families(f, *in.tls, in.pool);
  if (in.label_pid) add_label(f, "pid", std::to_string(::getpid()));
  return prometheus::TextSerializer().Serialize(f);
}

boost::json::object Metrics::stats_json(const ScrapeInputs& in) const {
  boost::json::object routes;
  for (const auto& [route, stats] : routes_) {
    boost::json::object statuses;
    std::uint64_t total = 0;
    for (const auto& [key, count] : stats.by_method_status) {
      const auto status = std::to_string(key.second);
      statuses[status] = (statuses.contains(status) ? statuses[status].as_uint64() : 0) + count;
      total += count;
    }
    routes[route_label(route)] = {{"requests", total},
                                  {"status", std::move(statuses)},
                                  {"p50_us", to_us(stats.latency.percentile(50))},
                                  {"p99_us", to_us(stats.latency.percentile(99))},
                                  {"max_us", to_us(stats.latency.max())}};
  }
  boost::json::object out{
      {"pid", ::getpid()},
      {"uptime_s", static_cast<std::int64_t>(in.uptime_s)},
      {"draining", in.draining},
      {"requests_total", requests_total_},
      {"connections",
       {{"open", in.connections_open},
        {"parked", in.connections_parked},
        {"accepted", connections_accepted},
        {"rejected", connections_rejected}}},
      {"pool",
       {{"threads", in.pool.threads},
        {"busy", in.pool.busy},
        {"queued", in.pool.queued},
        {"clients", in.pool.clients},
        {"shedding", in.pool.shedding},
        {"part_us", in.pool.service_us},
        {"done", in.pool.done},
        {"failed", in.pool.failed},
        {"rejected", in.pool.rejected},
        {"skipped", in.pool.skipped}}},
      {"shed", shed_.json()},
      {"log_lines_dropped", in.log_lines_dropped},
      {"cpu_on_loop", cpu_on_loop},
      {"deadline_exceeded", {{"queued", deadline_queued}, {"running", deadline_running}}},
      {"client_gone", client_gone},
      {"loop_lag_us",
       {{"last", to_us(lag_last_.count())},
        {"recent_max", to_us(loop_lag_recent_max().count())},
        {"p50", to_us(lag_.percentile(50))},
        {"p99", to_us(lag_.percentile(99))},
        {"max", to_us(lag_.max())}}},
      {"routes", std::move(routes)}};
  if (in.tls) out["tls"] = tls.json(*in.tls, in.pool);
  return out;
}

}  // namespace coroserve
