#pragma once
// What the server counts of TLS, for /metrics and /stats: handshakes by
// result, by where their CPU work ran and by whether they resumed a session;
// how long successful ones took; steps skipped for clients gone; certificate
// reloads. Written only by the
// loop thread, like Metrics.
#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdint>

#include "common/latency_histogram.hpp"
#include "server/metric_families.hpp"
#include "server/worker_pool.hpp"

namespace coroserve::tls {

// How a handshake ended; the `result` label.
enum class Outcome {
  ok,
  failed,       // a TLS protocol failure: bad or truncated ClientHello, refused version, alert
  plain_http,   // an HTTP request on the TLS port: answered 400 and closed
  timeout,      // --tls-handshake-timeout-ms passed
  client_gone,  // the client closed or reset mid-handshake
  overloaded,   // --max-pending-handshakes steps were already waiting: closed
  draining,     // the server began to shut down
};
inline constexpr std::size_t kOutcomes = 7;

// Where the handshake's CPU work ran; the `where` label.
enum class Where { pool, loop };

class TlsMetrics {
 public:
  TlsMetrics();

  void record_handshake(Outcome outcome, Where where, bool resumed,
                        std::chrono::nanoseconds duration);
  void record_reload(bool ok) { ++(ok ? reloads_ok_ : reloads_failed_); }
  // A queued step found its client gone and did no public-key work.
  void record_skipped_step() { ++skipped_steps_; }

  std::uint64_t handshakes(Outcome outcome) const;

  // The families, and the /stats object, for a server whose handshakes run
  // `where`; `pool` gives the steps waiting for a worker now.
  void add_families(prom::Families& f, Where where, const PoolStats& pool) const;
  boost::json::object json(Where where, const PoolStats& pool) const;

 private:
  // [outcome][where][resumed]
  std::array<std::array<std::array<std::uint64_t, 2>, 2>, kOutcomes> counts_{};
  std::array<LatencyHistogram, 2> duration_;  // successful ones, [resumed]
  std::uint64_t reloads_ok_ = 0;
  std::uint64_t reloads_failed_ = 0;
  std::uint64_t skipped_steps_ = 0;
};

const char* outcome_label(Outcome o);
// "pool" or "loop": the `where` label, and what /stats and GET / say.
const char* where_label(Where w);

}  // namespace coroserve::tls
