#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coroserve {

// A latency histogram with fixed relative precision, in the manner of
// HdrHistogram: log-linear buckets. Each power-of-two range [2^k, 2^(k+1)) is
// cut into the same number of equal sub-buckets, so the width of the bucket a
// value lands in is proportional to the value itself.
//
// Units: values are recorded in NANOSECONDS (int64). The default range is
// 1 ns .. 1 h, which covers the 1 µs .. 1 h with room below.
//
// Precision: with `significant_digits` d (1..4, default 3) every sub-bucket is
// at most 2^-m of its value wide, where 2^m is the smallest power of two
// >= 10^d (d=3: m=10, 1/1024 < 0.1 %; d=2: m=7, 1/128 < 0.8 %). Every value
// reported for a recorded value v (percentiles, bucket bounds) lies in
// [v, v * (1 + 2^-m)], so three significant digits are exact. min, max and
// mean are exact; stdev is computed from bucket midpoints.
//
// Cost: record() is O(1) and never allocates: the bucket array is sized once
// at construction (d=3 over 1 ns .. 1 h: 33 792 counters, 264 KiB; d=2:
// 4 224 counters, 33 KiB). Not thread-safe: keep one per thread and merge().
class LatencyHistogram {
 public:
  static constexpr std::int64_t kDefaultLowestNs = 1;
  static constexpr std::int64_t kDefaultHighestNs = 3'600'000'000'000;  // 1 h
  static constexpr int kDefaultSignificantDigits = 3;

  // `lowest_ns` is the smallest value told apart from 0 (>= 1); values above
  // `highest_ns` are recorded as `highest_ns` (and counted in saturated()).
  // Throws std::invalid_argument on a bad range or digit count.
  explicit LatencyHistogram(std::int64_t lowest_ns = kDefaultLowestNs,
                            std::int64_t highest_ns = kDefaultHighestNs,
                            int significant_digits = kDefaultSignificantDigits);

  // Records `count` occurrences of `value_ns`. Negative values count as 0.
  void record(std::int64_t value_ns, std::uint64_t count = 1) noexcept;

  // Adds every count of `other`. Both must have been built with the same
  // range and digits (throws std::invalid_argument otherwise).
  void merge(const LatencyHistogram& other);

  void reset() noexcept;

  std::uint64_t count() const noexcept { return total_; }
  std::uint64_t saturated() const noexcept { return saturated_; }
  // 0 when empty.
  std::int64_t min() const noexcept { return total_ ? min_ : 0; }
  std::int64_t max() const noexcept { return total_ ? max_ : 0; }
  double mean() const noexcept;
  double stdev() const noexcept;

  // The value at percentile `q` (0..100) by nearest rank: the smallest
  // recorded value v with at least ceil(q/100 * count) values <= v, reported
  // as the upper bound of v's bucket (clamped to [min, max]). 0 when empty.
  std::int64_t percentile(double q) const noexcept;

  // The nearest rank (1-based) that percentile(q) looks for among `n` values.
  static std::uint64_t percentile_rank(double q, std::uint64_t n) noexcept;

  // Relative width of a bucket: 2^-m (see above).
  double relative_precision() const noexcept;

  // One row of the percentile spectrum, the shape HdrHistogram prints and
  // plots: value, the percentile it is reached at, cumulative count.
  struct SpectrumPoint {
    std::int64_t value_ns;
    double percentile;  // 0..100
    std::uint64_t total_count;
  };
  // Percentile steps that halve the remaining distance to 100 %, with
  // `ticks_per_half_distance` steps per halving (HdrHistogram's percentile
  // iteration), ending with the max at 100 %. Allocates: for reports only.
  std::vector<SpectrumPoint> percentile_spectrum(int ticks_per_half_distance = 5) const;

  // Calls fn(lowest_ns, highest_ns, count) for each non-empty bucket, in
  // increasing order: the raw data, e.g. for cumulative Prometheus buckets.
  template <typename Fn>
  void for_each_bucket(Fn&& fn) const {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      if (counts_[i] != 0) {
        const std::int64_t lo = value_from_index(i);
        fn(lo, highest_equivalent(lo), counts_[i]);
      }
    }
  }

  std::int64_t lowest_trackable() const noexcept { return lowest_; }
  std::int64_t highest_trackable() const noexcept { return highest_; }
  int significant_digits() const noexcept { return digits_; }

 private:
  std::size_t index_of(std::int64_t v) const noexcept;
  std::int64_t value_from_index(std::size_t index) const noexcept;
  std::int64_t lowest_equivalent(std::int64_t v) const noexcept;
  std::int64_t highest_equivalent(std::int64_t v) const noexcept;

  std::int64_t lowest_;
  std::int64_t highest_;
  int digits_;
  int unit_magnitude_;             // floor(log2(lowest_))
  int sub_bucket_half_magnitude_;  // log2(sub-buckets per half range)
  std::int64_t sub_bucket_count_;
  std::int64_t sub_bucket_half_count_;
  std::int64_t sub_bucket_mask_;
  std::vector<std::uint64_t> counts_;

  std::uint64_t total_ = 0;
  std::uint64_t saturated_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
  double sum_ = 0;  // exact up to 2^53 ns summed (~104 days of latency)
};

}  // namespace coroserve
