#include "common/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace coroserve {

namespace {

int floor_log2(std::uint64_t v) {
  return 63 - std::countl_zero(v);
}

}  // namespace

LatencyHistogram::LatencyHistogram(std::int64_t lowest_ns, std::int64_t highest_ns,
                                   int significant_digits)
    : lowest_(lowest_ns), highest_(highest_ns), digits_(significant_digits) {
  if (lowest_ns < 1) throw std::invalid_argument("LatencyHistogram: lowest must be >= 1");
  if (significant_digits < 1 || significant_digits > 4) {
    throw std::invalid_argument("LatencyHistogram: significant digits must be 1..4");
  }
  // Values below 2 * 10^d must be exact to the unit, so a power-of-two range
  // holds at least that many sub-buckets (HdrHistogram's sizing rule).
  std::int64_t largest_single_unit = 2;
  for (int i = 0; i < significant_digits; ++i) largest_single_unit *= 10;
  const int sub_bucket_count_magnitude =
      floor_log2(static_cast<std::uint64_t>(largest_single_unit - 1)) + 1;
  unit_magnitude_ = floor_log2(static_cast<std::uint64_t>(lowest_ns));
  sub_bucket_half_magnitude_ = sub_bucket_count_magnitude - 1;
  sub_bucket_count_ = std::int64_t{1} << sub_bucket_count_magnitude;
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = (sub_bucket_count_ - 1) << unit_magnitude_;
  if (highest_ns < 2 * lowest_ns || unit_magnitude_ + sub_bucket_count_magnitude > 62) {
    throw std::invalid_argument("LatencyHistogram: highest must be >= 2 * lowest");
  }

  // One bucket per power of two from sub_bucket_count << unit up to highest.
  std::int64_t smallest_untrackable = sub_bucket_count_ << unit_magnitude_;
  int buckets = 1;
  while (smallest_untrackable <= highest_ns) {
    if (smallest_untrackable > std::numeric_limits<std::int64_t>::max() / 2) {
      ++buckets;
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  counts_.assign(
      static_cast<std::size_t>(buckets + 1) * static_cast<std::size_t>(sub_bucket_half_count_), 0);
}

std::size_t LatencyHistogram::index_of(std::int64_t v) const noexcept {
  // The top set bit (with the mask forcing at least the first bucket) picks
  // the power-of-two bucket; the bits below it pick the linear sub-bucket.
  const int pow2ceiling = 64 - std::countl_zero(static_cast<std::uint64_t>(v | sub_bucket_mask_));
  const int bucket = pow2ceiling - unit_magnitude_ - (sub_bucket_half_magnitude_ + 1);
  const std::int64_t sub = v >> (bucket + unit_magnitude_);
  const std::int64_t base = static_cast<std::int64_t>(bucket + 1) << sub_bucket_half_magnitude_;
  return static_cast<std::size_t>(base + sub - sub_bucket_half_count_);
}

std::int64_t LatencyHistogram::value_from_index(std::size_t index) const noexcept {
  int bucket = static_cast<int>(index >> sub_bucket_half_magnitude_) - 1;
  std::int64_t sub =
      static_cast<std::int64_t>(index & static_cast<std::size_t>(sub_bucket_half_count_ - 1)) +
      sub_bucket_half_count_;
  if (bucket < 0) {
    sub -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub << (bucket + unit_magnitude_);
}

std::int64_t LatencyHistogram::lowest_equivalent(std::int64_t v) const noexcept {
  return value_from_index(index_of(v));
}

std::int64_t LatencyHistogram::highest_equivalent(std::int64_t v) const noexcept {
  const int pow2ceiling = 64 - std::countl_zero(static_cast<std::uint64_t>(v | sub_bucket_mask_));
  const int bucket = pow2ceiling - unit_magnitude_ - (sub_bucket_half_magnitude_ + 1);
  const std::int64_t width = std::int64_t{1} << (bucket + unit_magnitude_);
  return lowest_equivalent(v) + width - 1;
}

void LatencyHistogram::record(std::int64_t value_ns, std::uint64_t count) noexcept {
  if (count == 0) return;
  std::int64_t v = value_ns < 0 ? 0 : value_ns;
  if (v > highest_) {
    v = highest_;
    saturated_ += count;
  }
  counts_[index_of(v)] += count;
  if (total_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  total_ += count;
  sum_ += static_cast<double>(v) * static_cast<double>(count);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.lowest_ != lowest_ || other.highest_ != highest_ || other.digits_ != digits_) {
    throw std::invalid_argument("LatencyHistogram::merge: histograms differ in range or digits");
  }
  if (other.total_ == 0) return;
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  if (total_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  total_ += other.total_;
  saturated_ += other.saturated_;
  sum_ += other.sum_;
}

void LatencyHistogram::reset() noexcept {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = saturated_ = 0;
  min_ = max_ = 0;
  sum_ = 0;
}

double LatencyHistogram::mean() const noexcept {
  return total_ ? sum_ / static_cast<double>(total_) : 0.0;
}

double LatencyHistogram::stdev() const noexcept {
  if (total_ == 0) return 0.0;
  const double m = mean();
  double acc = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const std::int64_t lo = value_from_index(i);
    // The bucket midpoint stands for every value in it; exact below 2*10^d.
    const double mid =
        static_cast<double>(lo) + static_cast<double>(highest_equivalent(lo) - lo) / 2.0;
    const double d = std::clamp(mid, static_cast<double>(min_), static_cast<double>(max_)) - m;
    acc += d * d * static_cast<double>(counts_[i]);
  }
  return std::sqrt(acc / static_cast<double>(total_));
}

std::uint64_t LatencyHistogram::percentile_rank(double q, std::uint64_t n) noexcept {
  if (n == 0) return 0;
  q = std::clamp(q, 0.0, 100.0);
  // q/100*n in floating point can land a hair above an integer (99.9 % of
  // 1000 is 999.0000000000001); a relative nudge keeps exact ranks exact.
  const double x = q / 100.0 * static_cast<double>(n);
  const double r = std::ceil(x - x * 1e-12);
  if (r < 1) return 1;
  if (r >= static_cast<double>(n)) return n;
  return static_cast<std::uint64_t>(r);
}

std::int64_t LatencyHistogram::percentile(double q) const noexcept {
  if (total_ == 0) return 0;
  const std::uint64_t rank = percentile_rank(q, total_);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    cumulative += counts_[i];
    if (cumulative >= rank) {
      return std::clamp(highest_equivalent(value_from_index(i)), min_, max_);
    }
  }
  return max_;
}

double LatencyHistogram::relative_precision() const noexcept {
  return 1.0 / static_cast<double>(sub_bucket_half_count_);
}

std::vector<LatencyHistogram::SpectrumPoint> LatencyHistogram::percentile_spectrum(
    int ticks_per_half_distance) const {
  std::vector<SpectrumPoint> out;
  if (total_ == 0) return out;
  if (ticks_per_half_distance < 1) ticks_per_half_distance = 1;
  double next = 0.0;
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    cumulative += counts_[i];
    if (cumulative == total_) break;  // the last bucket is reported as 100 % below
    const std::int64_t v = std::clamp(highest_equivalent(value_from_index(i)), min_, max_);
    const double reached = 100.0 * static_cast<double>(cumulative) / static_cast<double>(total_);
    while (reached >= next) {
      out.push_back({v, next, cumulative});
      // Twice the ticks each time the distance to 100 % halves, so the tail
      // (p99, p99.9, ...) gets as many points as the body.
      const double halvings = std::floor(std::log2(100.0 / (100.0 - next)));
      const double ticks = ticks_per_half_distance * std::pow(2.0, halvings + 1);
      next += 100.0 / ticks;
    }
  }
  out.push_back({max_, 100.0, total_});
  return out;
}

}  // namespace coroserve
