#pragma once
#include <array>
#include <atomic>
#include <cstdint>
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
};
inline constexpr std::size_t kErrorKinds = 6;
std::string_view to_string(ErrorKind k) noexcept;

// Counters of one report line (the whole run, or one mix line).
struct LineStats {
  std::uint64_t requests = 0;
  std::uint64_t responses = 0;
  std::array<std::uint64_t, kErrorKinds> errors{};
  std::array<std::uint64_t, 1000> status{};  // a status is three digits
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  coroserve::LatencyHistogram latency;

  std::uint64_t error_total() const noexcept;
  void merge(const LineStats& o);
};

// What one thread measured; merged across threads at the end.
struct ThreadStats {
  explicit ThreadStats(std::size_t lines) : per_line(lines) {}
  LineStats total;
  std::vector<LineStats> per_line;  // empty unless the run has a mix
  std::uint64_t connections_opened = 0;
  Clock::time_point last_done{};  // last response or error, for the elapsed time

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
