#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "client/rate_scheduler.hpp"
#include "common/latency_histogram.hpp"

namespace corobench {

// How a request can fail. Every request a run counts ends as exactly one
// response or exactly one error, so requests == responses + errors.
enum class ErrorKind : std::uint8_t {
  connect,    // could not connect (other than refused or timed out)
  refused,    // connection refused: nothing listens there
  read,       // the connection broke or closed before a whole response
  write,      // the request could not be written
  timeout,    // no complete answer within --timeout (connect, write or read)
  malformed,  // the response is not valid HTTP/1.1
  tls,        // the TLS handshake failed (certificate, protocol, ...)
  stopped,    // in flight when Ctrl-C or SIGTERM stopped the run: cut short
};
inline constexpr std::size_t kErrorKinds = 8;
std::string_view to_string(ErrorKind k) noexcept;

// The answers other than 2xx, by status class: 1xx, 3xx, 4xx, 5xx, and
// "other" for a status outside 100..599.
inline constexpr std::size_t kOtherClasses = 5;
inline std::size_t other_class(unsigned status) noexcept {
  switch (status / 100) {
    case 1:
      return 0;
    case 3:
      return 1;
    case 4:
      return 2;
    case 5:
      return 3;
    default:
      return 4;
  }
}
std::string_view other_class_name(std::size_t c) noexcept;  // "1xx", ..., "other"

// A latency histogram made on its first value. Most runs have no 4xx, 5xx or
// errors at all, and a histogram is 264 KiB: only what occurs costs memory.
// The one allocation is at the first value, never per request after it.
class LazyHistogram {
 public:
  LazyHistogram() = default;
  LazyHistogram(const LazyHistogram& o);
  LazyHistogram& operator=(const LazyHistogram& o);
  LazyHistogram(LazyHistogram&&) noexcept = default;
  LazyHistogram& operator=(LazyHistogram&&) noexcept = default;

  void record(std::int64_t ns) {
    if (!h_) h_ = std::make_unique<coroserve::LatencyHistogram>();
    h_->record(ns);
  }
  void merge(const LazyHistogram& o);
  std::uint64_t count() const noexcept { return h_ ? h_->count() : 0; }
  // Null until something was recorded.
  const coroserve::LatencyHistogram* get() const noexcept { return h_.get(); }

 private:
  std::unique_ptr<coroserve::LatencyHistogram> h_;
};

// Counters of one report line (the whole run, or one mix line).
struct LineStats {
  std::uint64_t requests = 0;
  std::uint64_t responses = 0;
  std::array<std::uint64_t, kErrorKinds> errors{};
  std::array<std::uint64_t, 1000> status{};  // a status is three digits
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  // Latency by outcome, so that a fast 503 never improves the percentiles
  // of work done: `latency` holds 2xx answers only, the other answers are
  // kept by status class, and errors (from the due time to the failure)
  // apart again.
  coroserve::LatencyHistogram latency;
  std::array<LazyHistogram, kOtherClasses> other_latency;
  LazyHistogram error_latency;

  void record_answer(unsigned status_code, std::int64_t ns) {
    if (status_code / 100 == 2) {
      latency.record(ns);
    } else {
      other_latency[other_class(status_code)].record(ns);
    }
  }
  std::uint64_t error_total() const noexcept;
  std::uint64_t ok_total() const noexcept;  // 2xx answers: the goodput
  void merge(const LineStats& o);
};

// The steps of a request apart: connecting and the TLS handshake (once per
// new connection), and the wait from handing a request to the socket to the
// first byte of its answer (the first request of a pipelined batch).
struct PhaseStats {
  LazyHistogram connect;
  LazyHistogram tls_handshake;
  LazyHistogram first_byte;
  std::uint64_t tls_handshakes = 0;
  std::uint64_t tls_resumed = 0;  // handshakes that resumed an earlier session
  // The server's certificate chains checked in full, and accepted as the
  // same bytes verified before (client/verified_chains.hpp); for the whole
  // run, so not merged.
  std::uint64_t tls_chains_verified = 0;
  std::uint64_t tls_chains_remembered = 0;
  std::string tls_protocol;  // of the first handshake, e.g. "TLSv1.3"
  std::string tls_cipher;

  void merge(const PhaseStats& o);
};

// What one thread measured; merged across threads at the end.
struct ThreadStats {
  explicit ThreadStats(std::size_t lines) : per_line(lines) {}
  LineStats total;
  std::vector<LineStats> per_line;  // empty unless the run has a mix
  PhaseStats phases;
  std::uint64_t connections_opened = 0;
  std::uint64_t late_sends = 0;     // open loop: sent more than 1 ms after due
  std::uint64_t dropped_sends = 0;  // open loop: due before the end, never sent
  Clock::time_point last_done{};    // last response or error, for the elapsed time

  void merge(const ThreadStats& o);
};

// What the progress line reads while threads run: one writer (the owning
// thread), one reader (main), each on its own cache line.
struct alignas(64) LiveCounters {
  std::atomic<std::uint64_t> responses{0};
  std::atomic<std::uint64_t> errors{0};

  // Single writer: a relaxed load and store, not a locked read-modify-write.
  static void bump(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) noexcept {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

}  // namespace corobench
