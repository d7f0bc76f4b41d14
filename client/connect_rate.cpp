#include "client/connect_rate.hpp"

#include <algorithm>
#include <cmath>

namespace corobench {

namespace {

std::int64_t ns_of(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

ConnectPacer::ConnectPacer(double rate, Clock::time_point start)
    // Rounded up: "at most N a second" must hold, not be missed by a ns.
    : interval_ns_(static_cast<std::int64_t>(std::ceil(1e9 / rate))), next_ns_(ns_of(start)) {}

Clock::time_point ConnectPacer::claim(Clock::time_point now) noexcept {
  std::int64_t next = next_ns_.load(std::memory_order_relaxed);
  std::int64_t slot = 0;
  do {
    slot = std::max(next, ns_of(now));
  } while (!next_ns_.compare_exchange_weak(next, slot + interval_ns_, std::memory_order_relaxed));
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(slot)));
}

}  // namespace corobench
