#pragma once
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace corobench {

// One thread's times at one moment: CPU from /proc/PID/task/TID/stat (user +
// system, in clock ticks) and the time it spent runnable but waiting for a
// core, from .../schedstat (0 where the kernel does not keep it).
struct ThreadTimes {
  pid_t tid = 0;
  std::uint64_t ticks = 0;
  std::uint64_t wait_ns = 0;
};

// Every thread of a process at one moment.
struct CpuSnapshot {
  std::chrono::steady_clock::time_point at;
  std::vector<ThreadTimes> threads;  // by thread id, sorted
};

// How much CPU a process used between two snapshots, in cores (1.0 = one
// core all the time): in all, and its busiest thread's. A thread that never
// blocked but shared its core with other processes ran less than a core and
// waited the rest: `busiest_runnable` counts both, so a saturated thread on a
// busy machine is still seen as saturated.
struct CpuUse {
  double cores = 0;
  double busiest_thread = 0;
  double busiest_runnable = 0;  // share of the time the most demanding thread ran or waited to
  double cpu_seconds = 0;
};

// Reads the snapshot of `pid` (0: this process); nothing when the process
// is gone or /proc cannot be read.
std::optional<CpuSnapshot> cpu_snapshot(pid_t pid);

// Threads that exist in only one snapshot count from zero (born) or not at
// all (ended): a load thread lives through the whole measured period.
CpuUse cpu_between(const CpuSnapshot& a, const CpuSnapshot& b);

// The fields after the command name of a /proc stat line ("pid (comm) S ..."):
// user + system ticks, or nothing when the line is not one.
std::optional<std::uint64_t> stat_line_ticks(const std::string& line);

// The run-queue wait of a schedstat line ("run_ns wait_ns slices"), or 0.
std::uint64_t schedstat_wait_ns(const std::string& line);

// user + system clock ticks of a whole process (0: this one), or nothing
// when it is gone.
std::optional<std::uint64_t> process_cpu_ticks(pid_t pid);

// The length of one clock tick, the unit /proc counts CPU time in.
double tick_seconds();

// Whether every thread of `earlier` is still in `later`.
bool keeps_every_thread(const CpuSnapshot& later, const CpuSnapshot& earlier);

// A process's CPU over the measured period: the first snapshot at its
// start, the last one the latest taken while its threads still ran. A
// thread that has ended is gone from /proc, and its CPU with it: a load
// thread can end between the check that it runs and the snapshot, so a
// snapshot that lost a thread is not kept.
class CpuWatch {
 public:
  explicit CpuWatch(pid_t pid) : pid_(pid) {}
  void sample() {
    auto s = cpu_snapshot(pid_);
    if (!s) return;
    if (!first_) {
      first_ = std::move(s);
    } else if (keeps_every_thread(*s, last_ ? *last_ : *first_)) {
      last_ = std::move(s);
    }
  }
  std::optional<CpuUse> use() const {
    if (!first_ || !last_) return std::nullopt;
    return cpu_between(*first_, *last_);
  }

 private:
  pid_t pid_;
  std::optional<CpuSnapshot> first_;
  std::optional<CpuSnapshot> last_;
};

}  // namespace corobench
