#include "common/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using coroserve::LatencyHistogram;

// The reference: the nearest-rank percentile of the sorted raw values.
std::int64_t reference_percentile(const std::vector<std::int64_t>& sorted, double q) {
  const auto rank = LatencyHistogram::percentile_rank(q, sorted.size());
  return sorted[rank - 1];
}

// Log-uniform values from 1 µs to 1 h, the range the histogram promises.
std::vector<std::int64_t> random_latencies(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(3.0, std::log10(3.6e12));
  std::vector<std::int64_t> v(n);
  for (auto& x : v) x = static_cast<std::int64_t>(std::pow(10.0, exponent(rng)));
  return v;
}

constexpr double kQs[] = {0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100};

TEST(LatencyHistogram, PercentilesMatchSortedReferenceWithinPrecision) {
  for (unsigned seed : {1u, 2u, 3u}) {
    auto values = random_latencies(100'000, seed);
    LatencyHistogram h;
    for (auto v : values) h.record(v);
    std::sort(values.begin(), values.end());
    const double precision = h.relative_precision();
    EXPECT_LT(precision, 0.001);  // 3 significant digits
    for (double q : kQs) {
      const auto ref = reference_percentile(values, q);
      const auto got = h.percentile(q);
      // Reported as the top of the value's bucket: never below the true
      // value, never above it by more than the relative precision.
      EXPECT_GE(got, ref) << "q=" << q << " seed=" << seed;
      EXPECT_LE(static_cast<double>(got), static_cast<double>(ref) * (1 + precision))
          << "q=" << q << " seed=" << seed;
    }
    EXPECT_EQ(h.count(), values.size());
    EXPECT_EQ(h.min(), values.front());
    EXPECT_EQ(h.max(), values.back());
  }
}

TEST(LatencyHistogram, MeanAndStdevMatchReference) {
  auto values = random_latencies(50'000, 7);
  LatencyHistogram h;
  double sum = 0;
  for (auto v : values) {
    h.record(v);
    sum += static_cast<double>(v);
  }
  const double mean = sum / static_cast<double>(values.size());
  double var = 0;
  for (auto v : values) var += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  const double stdev = std::sqrt(var / static_cast<double>(values.size()));
  EXPECT_NEAR(h.mean(), mean, mean * 1e-9);  // exact sum
  EXPECT_NEAR(h.stdev(), stdev, stdev * 0.001);
}

TEST(LatencyHistogram, PrecisionBoundHoldsForEveryValueOverTheRange) {
  LatencyHistogram h;
  const double precision = h.relative_precision();
  // Walk the range in small relative steps, each value alone in a histogram.
  for (double v = 1000; v < 3.6e12; v *= 1.0007) {
    h.reset();
    const auto x = static_cast<std::int64_t>(v);
    h.record(x);
    h.record(x + 1);  // so that clamping to [min, max] is not what bounds the result
    h.record(static_cast<std::int64_t>(v * 2));
    const auto p = h.percentile(1);  // rank 1: the bucket of x
    ASSERT_GE(p, x);
    ASSERT_LE(static_cast<double>(p), static_cast<double>(x) * (1 + precision)) << x;
  }
}

TEST(LatencyHistogram, TwoDigitsIsSmallerAndWithinOnePercent) {
  LatencyHistogram h3;
  LatencyHistogram h2(1, LatencyHistogram::kDefaultHighestNs, 2);
  EXPECT_LT(h2.relative_precision(), 0.01);
  EXPECT_GT(h2.relative_precision(), h3.relative_precision());
  auto values = random_latencies(10'000, 11);
  for (auto v : values) h2.record(v);
  std::sort(values.begin(), values.end());
  for (double q : kQs) {
    const auto ref = reference_percentile(values, q);
    EXPECT_LE(static_cast<double>(h2.percentile(q)),
              static_cast<double>(ref) * (1 + h2.relative_precision()));
  }
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (std::int64_t v = 0; v < 2000; ++v) h.record(v);
  EXPECT_EQ(h.percentile(50), 999);
  EXPECT_EQ(h.percentile(100), 1999);
  EXPECT_EQ(h.min(), 0);
}

TEST(LatencyHistogram, MergeEqualsRecordingEverythingInOne) {
  auto a = random_latencies(20'000, 21);
  auto b = random_latencies(30'000, 22);
  LatencyHistogram ha, hb, all;
  for (auto v : a) {
    ha.record(v);
    all.record(v);
  }
  for (auto v : b) {
    hb.record(v);
    all.record(v);
  }
  LatencyHistogram merged;
  merged.merge(ha);
  merged.merge(hb);
  EXPECT_EQ(merged.count(), all.count());
  EXPECT_EQ(merged.min(), all.min());
  EXPECT_EQ(merged.max(), all.max());
  EXPECT_DOUBLE_EQ(merged.mean(), all.mean());
  for (double q : kQs) EXPECT_EQ(merged.percentile(q), all.percentile(q)) << q;
  EXPECT_DOUBLE_EQ(merged.stdev(), all.stdev());
}

TEST(LatencyHistogram, MergeOfDifferentShapesThrows) {
  LatencyHistogram a;
  LatencyHistogram b(1, LatencyHistogram::kDefaultHighestNs, 2);
  EXPECT_THROW(a.merge(b), std::invalid_argument);
}

TEST(LatencyHistogram, MergeIntoEmptyAndOfEmpty) {
  LatencyHistogram a, b;
  b.record(5000);
  a.merge(LatencyHistogram{});
  EXPECT_EQ(a.count(), 0u);
  a.merge(b);
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(a.min(), 5000);
  EXPECT_EQ(a.max(), 5000);
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.percentile(99), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0);
  EXPECT_EQ(h.stdev(), 0);
  EXPECT_TRUE(h.percentile_spectrum().empty());
}

TEST(LatencyHistogram, OutOfRangeValuesAreClampedAndCounted) {
  LatencyHistogram h(1, 1'000'000, 3);
  h.record(-5);
  h.record(5'000'000);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.saturated(), 1u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 1'000'000);
}

TEST(LatencyHistogram, RecordWithCount) {
  LatencyHistogram h;
  h.record(1000, 99);
  h.record(1'000'000, 1);
  EXPECT_EQ(h.count(), 100u);
  EXPECT_EQ(h.percentile(99), 1000);
  EXPECT_EQ(h.percentile(99.5), 1'000'000);
}

TEST(LatencyHistogram, RejectsBadShapes) {
  EXPECT_THROW(LatencyHistogram(0, 1000, 3), std::invalid_argument);
  EXPECT_THROW(LatencyHistogram(1, 1000, 0), std::invalid_argument);
  EXPECT_THROW(LatencyHistogram(1, 1000, 5), std::invalid_argument);
  EXPECT_THROW(LatencyHistogram(1000, 1500, 3), std::invalid_argument);
}

TEST(LatencyHistogram, CoarserLowestUnitStillOrdersValues) {
  LatencyHistogram h(1000, LatencyHistogram::kDefaultHighestNs, 2);  // µs resolution
  for (std::int64_t v = 1; v <= 1000; ++v) h.record(v * 1000);
  const auto p50 = h.percentile(50);
  EXPECT_GE(p50, 500'000);
  EXPECT_LE(static_cast<double>(p50), 500'000 * (1 + h.relative_precision()));
}

TEST(LatencyHistogram, SpectrumIsMonotoneAndEndsAtMax) {
  auto values = random_latencies(10'000, 5);
  LatencyHistogram h;
  for (auto v : values) h.record(v);
  const auto s = h.percentile_spectrum(5);
  ASSERT_GT(s.size(), 20u);
  EXPECT_EQ(s.front().percentile, 0.0);
  EXPECT_EQ(s.back().percentile, 100.0);
  EXPECT_EQ(s.back().value_ns, h.max());
  EXPECT_EQ(s.back().total_count, h.count());
  for (std::size_t i = 1; i < s.size(); ++i) {
    EXPECT_GE(s[i].value_ns, s[i - 1].value_ns);
    EXPECT_GT(s[i].percentile, s[i - 1].percentile);
    EXPECT_GE(s[i].total_count, s[i - 1].total_count);
  }
  // The tail gets points: something at or past p99.9 before the final 100 %.
  EXPECT_GE(s[s.size() - 2].percentile, 99.9);
}

TEST(LatencyHistogram, ForEachBucketCoversAllCounts) {
  LatencyHistogram h;
  h.record(10);
  h.record(10);
  h.record(123'456'789);
  std::uint64_t total = 0;
  std::int64_t last_hi = -1;
  h.for_each_bucket([&](std::int64_t lo, std::int64_t hi, std::uint64_t n) {
    EXPECT_LE(lo, hi);
    EXPECT_GT(lo, last_hi);
    last_hi = hi;
    total += n;
  });
  EXPECT_EQ(total, 3u);
}

}  // namespace
