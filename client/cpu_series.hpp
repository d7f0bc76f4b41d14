#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace corobench {

// A process's CPU time second by second: its total (user + system, all
// threads, /proc/PID/stat) at each whole-second boundary of the measured
// period, so that a second's CPU can be set beside the requests answered in
// it: `corobench compare` tests CPU per answer second by second, as it
// tests requests/s.
//
// Each reading is kept with the time it was taken, and a boundary's value is
// interpolated between the readings on either side of it: the CPU of the
// time between two readings is spread evenly over it, the best estimate
// there is. A watcher that wakes late, or sleeps through a boundary, then
// loses no second.
class CpuSeries {
 public:
  using Clock = std::chrono::steady_clock;

  // `pid` 0 is corobench itself; `start` is where second 0 begins.
  CpuSeries(pid_t pid, Clock::time_point start) : pid_(pid), start_(start) {}

  // Called often: reads /proc at the first call, so that boundary 0 can have
  // a reading before it, then once a boundary has passed; one reading serves
  // several boundaries passed at once. A process that is gone gives none.
  void poll(Clock::time_point now);
  // When the next reading is due (the watcher wakes up for it).
  Clock::time_point next_due() const { return next_due_; }
  // The CPU seconds used in second k, when both its boundaries have a value:
  // a reading at the boundary, or one on each side of it.
  std::optional<double> second(std::size_t k) const;
  // Every second that ended by the last reading; NaN for one without a value.
  std::vector<double> seconds() const;

  // Adds a reading taken at `at`, later than those before it; `poll` calls
  // it, and tests call it with made-up readings.
  void record(Clock::time_point at, std::uint64_t ticks);
  // How many readings were taken.
  std::size_t readings() const { return readings_.size(); }

 private:
  struct Reading {
    Clock::time_point at;
    std::uint64_t ticks;
  };

  Clock::time_point boundary(std::size_t k) const { return start_ + std::chrono::seconds(k); }
  Clock::time_point boundary_after(Clock::time_point t) const;
  std::optional<double> ticks_at(Clock::time_point b) const;

  pid_t pid_;
  Clock::time_point start_;
  Clock::time_point next_due_ = Clock::time_point::min();  // the first poll reads
  std::vector<Reading> readings_;                          // in time order
};

}  // namespace corobench
