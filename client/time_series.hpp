#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "client/rate_scheduler.hpp"
#include "client/stats.hpp"

namespace corobench {

// The latencies of one second: a small log histogram, 16 buckets per power
// of two (each at most 1/16 of its value wide), values from 0 to ~2.4 h in
// 640 counters. Recording is an index computation and an increment; a
// second's p99 needs no more precision than that.
class SecondLatency {
 public:
  static constexpr std::size_t kBuckets = 640;

  void record(std::int64_t ns) noexcept {
    ++counts_[index_of(ns)];
    ++count_;
    if (ns > max_) max_ = ns;
  }
  void merge(const SecondLatency& o) noexcept;

  std::uint64_t count() const noexcept { return count_; }
  std::int64_t max() const noexcept { return max_; }
  // Nearest rank, reported as its bucket's upper bound (at most the max),
  // as LatencyHistogram does. 0 when empty.
  std::int64_t percentile(double q) const noexcept;

  static std::size_t index_of(std::int64_t ns) noexcept;
  static std::int64_t upper_bound(std::size_t index) noexcept;

 private:
  std::array<std::uint32_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::int64_t max_ = 0;
};

// What happened in one second, by the time each request ended.
struct SecondCounts {
  std::uint64_t ok = 0;     // 2xx answers
  std::uint64_t other = 0;  // the other answers
  std::array<std::uint64_t, kErrorKinds> errors{};
  std::uint64_t open = 0;  // most connections open at once
  SecondLatency latency;   // of 2xx answers, like the run's latency table

  void merge(const SecondCounts& o) noexcept;
};

// One thread's run, second by second. Second 0 begins at the end of warmup,
// so the measured seconds are whole ones; warmup seconds come before it
// (negative). A request ends in the second it was answered or failed in; a
// warmup request answered after warmup still counts in the last warmup
// second, so the measured seconds add up to the run's totals. The current
// second is cached: recording costs two comparisons and the increments;
// storage grows at most once a second, never per request.
class TimeSeries {
 public:
  TimeSeries() = default;
  // `expected` (warmup and run) sizes the storage up front.
  void start(Clock::time_point measure_start, Clock::duration warmup, Clock::duration expected);

  void answered(Clock::time_point t, bool measured, unsigned status, std::int64_t ns) {
    SecondCounts& s = at(t, measured);
    if (status / 100 == 2) {
      ++s.ok;
      s.latency.record(ns);
    } else {
      ++s.other;
    }
  }
  void failed(Clock::time_point t, bool measured, ErrorKind kind, std::uint64_t n) {
    at(t, measured).errors[static_cast<std::size_t>(kind)] += n;
  }
  void opened(Clock::time_point t);
  void closed(Clock::time_point t);

  void merge(const TimeSeries& o);

  std::size_t warmup_seconds() const noexcept { return warmup_seconds_; }
  // Index i is second i - warmup_seconds().
  const std::vector<SecondCounts>& seconds() const noexcept { return seconds_; }

 private:
  SecondCounts& at(Clock::time_point t, bool measured) {
    if (t >= cur_begin_ && t < cur_end_ && measured == cur_measured_) return seconds_[cur_];
    return seek(t, measured);
  }
  SecondCounts& seek(Clock::time_point t, bool measured);

  Clock::time_point base_{};  // start of second 0
  std::size_t warmup_seconds_ = 0;
  std::vector<SecondCounts> seconds_;
  std::size_t cur_ = 0;
  Clock::time_point cur_begin_{}, cur_end_{};  // empty until the first seek
  bool cur_measured_ = false;
  std::uint64_t open_ = 0;
};

}  // namespace corobench
