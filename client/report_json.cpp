#include "client/report_json.hpp"

#include "client/time_series_report.hpp"
#include "common/version.hpp"

namespace corobench {

namespace json = boost::json;

namespace {

double per_s(std::uint64_t n, double s) {
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

// The latencies of answers other than 2xx, by status class, and of errors:
// only the outcomes that occurred.
json::object outcome_latency_json(const LineStats& l) {
  json::object o;
  for (std::size_t c = 0; c < kOtherClasses; ++c) {
    if (const auto* h = l.other_latency[c].get()) o[other_class_name(c)] = latency_json(*h);
  }
  if (const auto* h = l.error_latency.get()) o["errors"] = latency_json(*h);
  return o;
}

json::object counts_json(const LineStats& l, double elapsed) {
  json::object o;
  o["requests"] = l.requests;
  o["responses"] = l.responses;
  json::object errors;
  errors["total"] = l.error_total();
  for (std::size_t k = 0; k < kErrorKinds; ++k) {
    errors[to_string(static_cast<ErrorKind>(k))] = l.errors[k];
  }
  o["errors"] = std::move(errors);
  json::object status;
  for (std::size_t code = 0; code < l.status.size(); ++code) {
    if (l.status[code] != 0) status[std::to_string(code)] = l.status[code];
  }
  o["status"] = std::move(status);
  o["bytes_sent"] = l.bytes_sent;
  o["bytes_received"] = l.bytes_received;
  o["requests_per_s"] = per_s(l.responses, elapsed);
  o["goodput_per_s"] = per_s(l.ok_total(), elapsed);
  o["latency_us"] = latency_json(l.latency);
  o["latency_by_outcome_us"] = outcome_latency_json(l);
  return o;
}

json::object config_json(const LoadPlan& p) {
  json::object cfg;
  cfg["method"] = p.requests.front().method;
  cfg["connections"] = p.connections;
  cfg["threads"] = p.threads;
  cfg["mode"] = p.rate ? "open" : "closed";
  cfg["rate"] = p.rate ? json::value(*p.rate) : json::value(nullptr);
  cfg["arrival"] = p.rate ? json::value(to_string(p.arrival)) : json::value(nullptr);
  cfg["duration_s"] =
      p.duration ? json::value(std::chrono::duration<double>(*p.duration).count()) : nullptr;
  cfg["total_requests"] = p.total_requests ? json::value(*p.total_requests) : nullptr;
  cfg["timeout_s"] = std::chrono::duration<double>(p.timeout).count();
  cfg["warmup_s"] = std::chrono::duration<double>(p.warmup).count();
  cfg["keepalive"] = p.keepalive;
  cfg["pipeline"] = p.pipeline;
  cfg["connect_rate"] = p.connect_rate ? json::value(*p.connect_rate) : json::value(nullptr);
  cfg["bind"] = p.bind ? json::value(p.bind->to_string()) : json::value(nullptr);
  cfg["server_pid"] = p.server_pid ? json::value(*p.server_pid) : json::value(nullptr);
  return cfg;
}

// Connect, handshake and first-byte times: the ones measured.
json::object phases_json(const PhaseStats& ph) {
  json::object o;
  if (const auto* h = ph.connect.get()) o["connect"] = latency_json(*h);
  if (const auto* h = ph.tls_handshake.get()) o["tls_handshake"] = latency_json(*h);
  if (const auto* h = ph.first_byte.get()) o["first_byte"] = latency_json(*h);
  return o;
}

json::value tls_json(const LoadPlan& p, const PhaseStats& ph) {
  if (!p.target.tls) return nullptr;
  json::object o;
  o["verify"] = p.tls.verify;
  o["cacert"] = p.tls.cacert.empty() ? json::value(nullptr) : json::value(p.tls.cacert);
  o["resume"] = p.tls.resume;
  o["handshakes"] = ph.tls_handshakes;
  o["resumed"] = ph.tls_resumed;
  o["chains_verified"] = ph.tls_chains_verified;
  o["chains_remembered"] = ph.tls_chains_remembered;
  o["protocol"] = ph.tls_protocol;
  o["cipher"] = ph.tls_cipher;
  return o;
}

json::value cpu_json(const std::optional<CpuUse>& u, std::uint64_t responses) {
  if (!u) return nullptr;
  json::object o;
  o["cores"] = u->cores;
  o["busiest_thread"] = u->busiest_thread;
  o["busiest_thread_runnable"] = u->busiest_runnable;
  o["cpu_s"] = u->cpu_seconds;
  o["us_per_request"] =
      responses ? json::value(1e6 * u->cpu_seconds / static_cast<double>(responses)) : nullptr;
  return o;
}

// What limited the run, and the figures it was judged on.
json::object bottleneck_json(const RunResult& r) {
  json::object o;
  o["limit"] = to_string(r.verdict.limit);
  o["why"] = r.verdict.why;
  o["late_sends"] = r.stats.late_sends;
  o["dropped_sends"] = r.stats.dropped_sends;
  o["generator_cpu"] = cpu_json(r.generator_cpu, r.stats.total.responses);
  o["server_cpu"] = cpu_json(r.server_cpu, r.stats.total.responses);
  return o;
}

json::array per_line_json(const RunResult& r) {
  json::array lines;
  for (std::size_t i = 0; i < r.stats.per_line.size(); ++i) {
    const RequestTemplate& rq = r.plan.requests[i];
    json::object l;
    l["line"] = i + 1;
    l["weight"] = rq.weight;
    l["method"] = rq.method;
    l["url"] = rq.url;
    for (auto& kv : counts_json(r.stats.per_line[i], r.elapsed_s)) l[kv.key()] = kv.value();
    lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace

json::object latency_json(const coroserve::LatencyHistogram& h) {
  struct Pct {
    const char* name;
    double q;
  };
  constexpr Pct kPercentiles[] = {{"p50", 50}, {"p75", 75},     {"p90", 90},
                                  {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
  json::object o;
  o["count"] = h.count();
  o["min"] = static_cast<double>(h.min()) / 1000.0;
  o["mean"] = h.mean() / 1000.0;
  o["stdev"] = h.stdev() / 1000.0;
  for (const auto& p : kPercentiles) o[p.name] = static_cast<double>(h.percentile(p.q)) / 1000.0;
  o["max"] = static_cast<double>(h.max()) / 1000.0;
  return o;
}

json::object to_json(const RunResult& r) {
  json::object o;
  o["tool"] = "corobench";
  o["schema"] = kJsonSchema;
  o["version"] = coroserve::kVersion;
  o["url"] = r.plan.target.url;
  o["config"] = config_json(r.plan);
  o["elapsed_s"] = r.elapsed_s;
  o["interrupted"] = r.interrupted;
  for (auto& kv : counts_json(r.stats.total, r.elapsed_s)) o[kv.key()] = kv.value();
  o["connections_opened"] = r.stats.connections_opened;
  o["phases_us"] = phases_json(r.stats.phases);
  o["tls"] = tls_json(r.plan, r.stats.phases);
  o["bottleneck"] = bottleneck_json(r);
  if (!r.stats.per_line.empty()) o["per_line"] = per_line_json(r);
  o["time_series"] = series_json(series_points(r));
  return o;
}

}  // namespace corobench
