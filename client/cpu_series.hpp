#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace corobench {

// A process's CPU time second by second: its total (user + system, all
// threads, /proc/PID/stat) read as each whole second of the measured period
// begins, so that a second's CPU can be set beside the requests answered in
// it: `corobench compare` tests CPU per answer second by second, as it
// tests requests/s.
class CpuSeries {
 public:
  using Clock = std::chrono::steady_clock;

  // `pid` 0 is corobench itself; `start` is where second 0 begins.
  CpuSeries(pid_t pid, Clock::time_point start) : pid_(pid), start_(start) {}

  // Called often: reads /proc once a second boundary has passed. A reading
  // later than `kLateRead` after its boundary would hand one second's CPU
  // to the next, so that boundary stays unknown instead.
  void poll(Clock::time_point now);
  // When the next boundary is due (the watcher wakes up for it).
  Clock::time_point next_due() const { return start_ + std::chrono::seconds(at_.size()); }
  // The CPU seconds used in second k, when it was read at both ends.
  std::optional<double> second(std::size_t k) const;
  // Every second read so far; NaN for one not known.
  std::vector<double> seconds() const;

  // Sets the clock ticks read at boundary k (nothing: not known); `poll`
  // calls it, and tests call it with made-up readings.
  void record(std::size_t k, std::optional<std::uint64_t> ticks);

  static constexpr std::chrono::milliseconds kLateRead{20};

 private:
  pid_t pid_;
  Clock::time_point start_;
  std::vector<std::optional<std::uint64_t>> at_;  // ticks read at start_ + k s
};

}  // namespace corobench
