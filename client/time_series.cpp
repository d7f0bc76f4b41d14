#include "client/time_series.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace corobench {

namespace {

constexpr std::int64_t kSecondNs = 1'000'000'000;
constexpr int kSubBits = 4;  // 16 buckets per power of two
constexpr std::int64_t kSub = std::int64_t{1} << kSubBits;
constexpr int kTopExponent = 42;  // 2^43 ns, ~2.4 h: the last bucket holds the rest

// Whole seconds from `base` to `t`, rounded down (also before `base`).
std::int64_t floor_seconds(Clock::time_point t, Clock::time_point base) {
  const std::int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t - base).count();
  return ns >= 0 ? ns / kSecondNs : -((-ns + kSecondNs - 1) / kSecondNs);
}

}  // namespace

std::size_t SecondLatency::index_of(std::int64_t ns) noexcept {
  if (ns < kSub) return static_cast<std::size_t>(std::max<std::int64_t>(ns, 0));
  const int e =
      std::min(static_cast<int>(std::bit_width(static_cast<std::uint64_t>(ns))) - 1, kTopExponent);
  const std::int64_t sub = e == kTopExponent && ns >= (std::int64_t{1} << (kTopExponent + 1))
                               ? kSub - 1
                               : (ns >> (e - kSubBits)) & (kSub - 1);
  return static_cast<std::size_t>((e - kSubBits + 1) * kSub + sub);
}

std::int64_t SecondLatency::upper_bound(std::size_t index) noexcept {
  const auto i = static_cast<std::int64_t>(index);
  if (i < kSub) return i;
  const std::int64_t e = i / kSub + kSubBits - 1;
  const std::int64_t width = std::int64_t{1} << (e - kSubBits);
  return (kSub + i % kSub) * width + width - 1;
}

void SecondLatency::merge(const SecondLatency& o) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  max_ = std::max(max_, o.max_);
}

std::int64_t SecondLatency::percentile(double q) const noexcept {
  if (count_ == 0) return 0;
  const double want = std::ceil(std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  const std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(want));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(upper_bound(i), max_);
  }
  return max_;
}

void SecondCounts::merge(const SecondCounts& o) noexcept {
  ok += o.ok;
  other += o.other;
  for (std::size_t k = 0; k < kErrorKinds; ++k) errors[k] += o.errors[k];
  open += o.open;
  latency.merge(o.latency);
}

void TimeSeries::start(Clock::time_point measure_start, Clock::duration warmup,
                       Clock::duration expected) {
  base_ = measure_start;
  warmup_seconds_ =
      static_cast<std::size_t>(std::ceil(std::chrono::duration<double>(warmup).count() - 1e-9));
  const double secs = std::chrono::duration<double>(expected).count();
  // A long run grows its storage as it goes; this only spares the copies.
  seconds_.reserve(static_cast<std::size_t>(std::clamp(secs + 2.0, 4.0, 4096.0)));
  cur_begin_ = cur_end_ = Clock::time_point{};
}

SecondCounts& TimeSeries::seek(Clock::time_point t, bool measured) {
  // Never started (a test's counts): the first event starts it.
  if (base_ == Clock::time_point{}) base_ = t;
  std::int64_t k = floor_seconds(t, base_);
  k = measured ? std::max<std::int64_t>(k, 0) : std::min<std::int64_t>(k, -1);
  k = std::max(k, -static_cast<std::int64_t>(warmup_seconds_));
  const auto index = static_cast<std::size_t>(k + static_cast<std::int64_t>(warmup_seconds_));
  if (index >= seconds_.size()) {
    // Seconds that saw no event had the connections open that are open now.
    const std::size_t from = seconds_.size();
    seconds_.resize(index + 1);
    for (std::size_t i = from; i <= index; ++i) seconds_[i].open = open_;
  }
  cur_ = index;
  cur_begin_ = base_ + std::chrono::seconds(k);
  cur_end_ = cur_begin_ + std::chrono::seconds(1);
  cur_measured_ = measured;
  return seconds_[cur_];
}

void TimeSeries::opened(Clock::time_point t) {
  ++open_;
  SecondCounts& s = at(t, t >= base_);
  s.open = std::max(s.open, open_);
}

void TimeSeries::closed(Clock::time_point) {
  if (open_ > 0) --open_;
}

void TimeSeries::merge(const TimeSeries& o) {
  warmup_seconds_ = std::max(warmup_seconds_, o.warmup_seconds_);
  if (seconds_.size() < o.seconds_.size()) seconds_.resize(o.seconds_.size());
  for (std::size_t i = 0; i < o.seconds_.size(); ++i) seconds_[i].merge(o.seconds_[i]);
}

}  // namespace corobench
