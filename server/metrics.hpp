#pragma once
// What the server counts, for GET /metrics (Prometheus text) and GET /stats
// (JSON). Written only by the loop thread, so recording is a plain increment:
// no lock and no atomic shared with the workers. The pool keeps its own
// atomic counters (PoolStats) and they are read at scrape time.
#include <prometheus/metric_family.h>
#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/latency_histogram.hpp"
#include "server/http_types.hpp"
#include "server/overloaded.hpp"
#include "server/shed_metrics.hpp"
#include "server/tls/tls_metrics.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {

struct Config;

// Figures that live outside Metrics, gathered at scrape time.
struct ScrapeInputs {
  PoolStats pool;
  std::size_t connections_open = 0;
  std::size_t connections_parked = 0;  // of those, idle without a session
  bool draining = false;
  double uptime_s = 0;
  std::optional<tls::Where> tls;        // set when --port speaks HTTPS: where handshakes run
  std::uint64_t log_lines_dropped = 0;  // by the async log writer (logging.hpp)
  // With --reuse-port, several processes answer on one port: every series
  // then carries pid="<this process>", so that scrapes stay apart.
  bool label_pid = false;
};

class Metrics {
 public:
  Metrics();

  // One answered request. `route` is the router's path ("" for no match);
  // `shed`: the request was refused, and is timed apart from work done.
  void record_request(std::string_view route, http::verb method, unsigned status,
                      std::chrono::nanoseconds duration,
                      std::optional<ShedReason> shed = std::nullopt);
  // A request shed, counted when the decision is made.
  void count_shed(ShedReason reason) { shed_.count(reason); }
  const ShedMetrics& shed() const { return shed_; }
  // How late the loop's periodic lag timer fired.
  void record_loop_lag(std::chrono::nanoseconds lag);

  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;
  std::uint64_t cpu_on_loop = 0;       // CPU requests run with where=loop
  std::uint64_t deadline_queued = 0;   // 504: the deadline passed before the work started
  std::uint64_t deadline_running = 0;  // 504: the deadline passed while it ran
  std::uint64_t client_gone = 0;       // offloaded work abandoned: the client left
  tls::TlsMetrics tls;                 // handshakes and reloads

  std::uint64_t requests_total() const { return requests_total_; }
  std::chrono::nanoseconds loop_lag_last() const { return lag_last_; }
  // The largest lag among the last kRecentLagSamples samples.
  std::chrono::nanoseconds loop_lag_recent_max() const;

  std::string prometheus_text(const ScrapeInputs& in) const;
  boost::json::object stats_json(const ScrapeInputs& in) const;

  static constexpr std::size_t kRecentLagSamples = 40;  // x the lag interval (50 ms) = 2 s

 private:
  struct RouteStats {
    RouteStats();
    // (method, status) -> count; keys are small integers, so no allocation.
    std::map<std::pair<int, unsigned>, std::uint64_t> by_method_status;
    LatencyHistogram latency;
  };
  RouteStats& route_stats(std::string_view route);
  // The Prometheus families, in groups.
  using Families = std::vector<prometheus::MetricFamily>;
  void add_request_families(Families& f) const;
  void add_connection_families(Families& f, const ScrapeInputs& in) const;
  void add_pool_families(Families& f, const PoolStats& pool) const;
  void add_process_families(Families& f, const ScrapeInputs& in) const;

  // Transparent hashing: looking a route up by string_view does not allocate.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using RouteMap = std::unordered_map<std::string, RouteStats, Hash, std::equal_to<>>;
  RouteMap routes_;
  RouteMap::value_type* last_route_ = nullptr;  // the route of the last request recorded
  std::uint64_t requests_total_ = 0;
  ShedMetrics shed_;
  LatencyHistogram lag_;
  std::chrono::nanoseconds lag_last_{0};
  std::array<std::int64_t, kRecentLagSamples> lag_recent_{};
  std::size_t lag_next_ = 0;
};

}  // namespace coroserve
