#pragma once
#include <atomic>
#include <cstdint>

#include "client/rate_scheduler.hpp"

namespace corobench {

// --connect-rate: at most `rate` new connections per second over all the
// threads of a run. Each connect claims the next slot: 1/rate after the slot
// before, and never before `now`, so time without connects is not saved up
// for a burst. Pure arithmetic on the times handed in, safe from any thread.
class ConnectPacer {
 public:
  ConnectPacer(double rate, Clock::time_point start);

  // When the caller may open its connection.
  Clock::time_point claim(Clock::time_point now) noexcept;

 private:
  std::int64_t interval_ns_;
  std::atomic<std::int64_t> next_ns_;  // the next free slot, since the clock's epoch
};

}  // namespace corobench
