#include "server/tls/tls_metrics.hpp"

namespace coroserve::tls {

namespace {

using namespace prom;

const char* bool_label(std::size_t b) {
  return b != 0 ? "true" : "false";
}

}  // namespace

const char* where_label(Where w) {
  return w == Where::pool ? "pool" : "loop";
}

const char* outcome_label(Outcome o) {
  constexpr std::array<const char*, kOutcomes> kLabels = {
      "ok", "failed", "plain_http", "timeout", "client_gone", "overloaded", "draining"};
  return kLabels[static_cast<std::size_t>(o)];
}

TlsMetrics::TlsMetrics() : duration_{make_latency_histogram(), make_latency_histogram()} {}

void TlsMetrics::record_handshake(Outcome outcome, Where where, bool resumed,
                                  std::chrono::nanoseconds duration) {
  ++counts_[static_cast<std::size_t>(outcome)][static_cast<std::size_t>(where)][resumed ? 1 : 0];
  if (outcome == Outcome::ok) duration_[resumed ? 1 : 0].record(duration.count());
}

std::uint64_t TlsMetrics::handshakes(Outcome outcome) const {
  std::uint64_t n = 0;
  for (const auto& by_where : counts_[static_cast<std::size_t>(outcome)]) {
    for (auto c : by_where) n += c;
  }
  return n;
}

// Every result for the configured place is written, zeros included, so
// that rates exist from the start; the other place only where it counted.
void TlsMetrics::add_families(Families& f, Where where, const PoolStats& pool) const {
  std::vector<ClientMetric> handshakes;
  for (std::size_t o = 0; o < kOutcomes; ++o) {
    for (std::size_t w = 0; w < 2; ++w) {
      for (std::size_t r = 0; r < 2; ++r) {
        const auto n = counts_[o][w][r];
        const bool shown = w == static_cast<std::size_t>(where) && (r == 0 || o == 0);
        if (n == 0 && !shown) continue;
        handshakes.push_back(
            counter(static_cast<double>(n), {{"result", outcome_label(static_cast<Outcome>(o))},
                                             {"where", where_label(static_cast<Where>(w))},
                                             {"resumed", bool_label(r)}}));
      }
    }
  }
  f.push_back(family("coroserve_tls_handshakes_total", "TLS handshakes by how they ended",
                     MetricType::Counter, std::move(handshakes)));
  f.push_back(family("coroserve_tls_handshake_duration_seconds",
                     "Successful TLS handshakes, first byte of the ClientHello to done",
                     MetricType::Histogram,
                     {histogram(duration_[0], {{"resumed", "false"}}),
                      histogram(duration_[1], {{"resumed", "true"}})}));
  f.push_back(family("coroserve_tls_handshakes_pending",
                     "Handshake steps waiting for a worker (--max-pending-handshakes)",
                     MetricType::Gauge, {gauge(static_cast<double>(pool.urgent_queued))}));
  f.push_back(family("coroserve_tls_handshake_steps_skipped_total",
                     "Handshake steps that waited for a worker and found the client gone: "
                     "closed without the public-key work",
                     MetricType::Counter, {counter(static_cast<double>(skipped_steps_))}));
  f.push_back(family("coroserve_tls_reloads_total", "Certificate reloads (SIGHUP) by result",
                     MetricType::Counter,
                     {counter(static_cast<double>(reloads_ok_), {{"result", "ok"}}),
                      counter(static_cast<double>(reloads_failed_), {{"result", "failed"}})}));
}

boost::json::object TlsMetrics::json(Where where, const PoolStats& pool) const {
  boost::json::object results;
  for (std::size_t o = 0; o < kOutcomes; ++o) {
    results[outcome_label(static_cast<Outcome>(o))] = handshakes(static_cast<Outcome>(o));
  }
  std::uint64_t resumed = 0;
  for (const auto& by_where : counts_[0]) resumed += by_where[1];
  return {{"where", where_label(where)},
          {"handshakes", std::move(results)},
          {"resumed", resumed},
          {"pending", pool.urgent_queued},
          {"skipped_steps", skipped_steps_},
          {"full_p50_us", to_us(duration_[0].percentile(50))},
          {"full_p99_us", to_us(duration_[0].percentile(99))},
          {"reloads", {{"ok", reloads_ok_}, {"failed", reloads_failed_}}}};
}

}  // namespace coroserve::tls
