// The statistics of `corobench compare`: the Student t quantiles, the batch
// means, and on simulated runs the two promises: pairs of runs of one
// process are seldom called different, and a 10 % change is found.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "client/run_noise.hpp"

namespace {

using corobench::batch_count;
using corobench::ratio_interval;
using corobench::RatioInterval;
using corobench::student_t_quantile;

// Per-second throughput of a run: a level with autocorrelated noise (AR(1),
// each second keeps half of the last one's deviation), 5 % per second.
std::vector<double> run_seconds(std::mt19937_64& rng, std::size_t n, double level) {
  std::normal_distribution<double> noise(0.0, 0.05 * level);
  std::vector<double> x;
  double dev = noise(rng);
  for (std::size_t i = 0; i < n; ++i) {
    dev = 0.5 * dev + noise(rng);
    x.push_back(level + dev);
  }
  return x;
}

// How many of `pairs` pairs of 30-second runs, the second `factor` times
// the first's level, are called different.
int flagged_pairs(std::uint64_t seed, int pairs, double factor) {
  std::mt19937_64 rng(seed);
  int flagged = 0;
  for (int i = 0; i < pairs; ++i) {
    const auto a = run_seconds(rng, 30, 1000);
    const auto b = run_seconds(rng, 30, 1000 * factor);
    flagged += ratio_interval(a, b).differs() ? 1 : 0;
  }
  return flagged;
}

TEST(ClientRunNoise, StudentTQuantilesMatchTheTables) {
  const struct {
    double df, p, t;
  } table[] = {{1, 0.975, 12.7062}, {2, 0.975, 4.3027},  {5, 0.975, 2.5706}, {10, 0.975, 2.2281},
               {30, 0.975, 2.0423}, {1, 0.995, 63.6567}, {4, 0.9, 1.5332},   {1e6, 0.975, 1.9600}};
  for (const auto& row : table) {
    EXPECT_NEAR(student_t_quantile(row.p, row.df), row.t, 1e-4) << "df " << row.df;
    EXPECT_NEAR(student_t_quantile(1 - row.p, row.df), -row.t, 1e-4) << "df " << row.df;
  }
  EXPECT_EQ(student_t_quantile(0.5, 3), 0);
  // Welch degrees of freedom are seldom whole: between the neighbours.
  const double t = student_t_quantile(0.975, 7.5);
  EXPECT_LT(t, student_t_quantile(0.975, 7));
  EXPECT_GT(t, student_t_quantile(0.975, 8));
}

TEST(ClientRunNoise, BatchCountGrowsSlowerThanTheSquareRoot) {
  EXPECT_EQ(batch_count(4), 2u);
  EXPECT_EQ(batch_count(9), 2u);
  EXPECT_EQ(batch_count(10), 3u);
  EXPECT_EQ(batch_count(30), 4u);
  EXPECT_EQ(batch_count(60), 5u);
  EXPECT_EQ(batch_count(100), 6u);
}

TEST(ClientRunNoise, IntervalWorkedByHand) {
  // A: batches {1, 1} and {3, 3}, mean 2; the variance of the mean is
  // (2 * 1 + 2 * 1) / (1 * 4) = 1, so 1/4 relative. B does not vary, so
  // df = 1 (A's batches less one), and the half width on the log scale is
  // t(0.975, 1) * sqrt(1/4).
  const RatioInterval r = ratio_interval({1, 1, 3, 3}, {2, 2, 2, 2});
  ASSERT_TRUE(r.valid);
  EXPECT_DOUBLE_EQ(r.ratio, 1.0);
  EXPECT_NEAR(r.df, 1.0, 1e-12);
  EXPECT_NEAR(std::log(r.hi), 12.7062 * 0.5, 1e-3);
  EXPECT_NEAR(std::log(r.lo), -12.7062 * 0.5, 1e-3);
  // Ten seconds: three batches of 3, 3 and 4 seconds, none dropped, so a
  // last second far off moves the interval.
  std::vector<double> ten(10, 100.0);
  ten[1] = 90;
  ten[9] = 130;
  const RatioInterval spread = ratio_interval(std::vector<double>(10, 100.0), ten);
  EXPECT_EQ(spread.batches_b, 3u);
  EXPECT_NEAR(spread.ratio, 1.02, 1e-12);
  EXPECT_GT(spread.hi, 1.02);
}

TEST(ClientRunNoise, IntervalIsTheSameWhicheverRunIsTheBaseline) {
  std::mt19937_64 rng(3);
  const auto a = run_seconds(rng, 20, 500);
  const auto b = run_seconds(rng, 25, 520);
  const RatioInterval ab = ratio_interval(a, b);
  const RatioInterval ba = ratio_interval(b, a);
  EXPECT_EQ(ab.batches_a, 3u);
  EXPECT_EQ(ab.batches_b, 4u);
  EXPECT_NEAR(ab.lo * ba.hi, 1.0, 1e-12);
  EXPECT_NEAR(ab.hi * ba.lo, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(ab.df, ba.df);
}

TEST(ClientRunNoise, TenPercentShiftIsDetected) {
  std::mt19937_64 rng(7);
  const auto a = run_seconds(rng, 30, 1000);
  const auto b = run_seconds(rng, 30, 1100);
  const RatioInterval up = ratio_interval(a, b);
  ASSERT_TRUE(up.valid);
  EXPECT_NEAR(up.ratio, 1.1, 0.03);
  EXPECT_GT(up.lo, 1.0) << "[" << up.lo << ", " << up.hi << "]";
  EXPECT_TRUE(up.differs());
  const RatioInterval down = ratio_interval(b, a);
  EXPECT_LT(down.hi, 1.0) << "[" << down.lo << ", " << down.hi << "]";
  EXPECT_TRUE(down.differs());
}

TEST(ClientRunNoise, SameProcessIsMostlyNotFlagged) {
  int flagged = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::mt19937_64 rng(seed);
    const auto a = run_seconds(rng, 30, 1000);
    const auto b = run_seconds(rng, 30, 1000);
    const RatioInterval r = ratio_interval(a, b);
    ASSERT_TRUE(r.valid);
    EXPECT_LE(r.lo, r.ratio);
    EXPECT_GE(r.hi, r.ratio);
    flagged += r.differs() ? 1 : 0;
  }
  EXPECT_LE(flagged, 1);
}

// The rate the 95 % interval promises is 5 %; a percentile block bootstrap
// calls about 16 % of such pairs different, and about sqrt(n) batches with
// Welch's df about 7 %.
TEST(ClientRunNoise, FalseDifferencesStayNearFivePercent) {
  const int flagged = flagged_pairs(11, 400, 1.0);
  EXPECT_LE(flagged, 32) << flagged << " of 400 pairs";
}

TEST(ClientRunNoise, TenPercentChangeIsFoundInMostPairs) {
  const int up = flagged_pairs(12, 100, 1.1);
  EXPECT_GE(up, 80) << up << " of 100 pairs";
  const int down = flagged_pairs(13, 100, 1 / 1.1);
  EXPECT_GE(down, 80) << down << " of 100 pairs";
}

TEST(ClientRunNoise, TooFewSecondsOrAMeanOfZeroGiveNoInterval) {
  EXPECT_FALSE(ratio_interval({1, 2, 3}, {1, 2, 3, 4}).valid);
  EXPECT_FALSE(ratio_interval({0, 0, 0, 0}, {1, 2, 3, 4}).valid);
  EXPECT_FALSE(ratio_interval({0, 0, 0, 0}, {1, 2, 3, 4}).differs());
  EXPECT_FALSE(ratio_interval({1, 2, 3, 4}, {0, 0, 0, 0}).valid);
  // Constant series: the interval is the point, and equal runs do not differ.
  const RatioInterval same = ratio_interval({5, 5, 5, 5}, {5, 5, 5, 5});
  ASSERT_TRUE(same.valid);
  EXPECT_DOUBLE_EQ(same.lo, 1.0);
  EXPECT_DOUBLE_EQ(same.hi, 1.0);
  EXPECT_FALSE(same.differs());
}

// Per-second values computed from counts (CPU seconds over answers) carry
// rounding: equal runs whose values differ only in the last bits are equal.
TEST(ClientRunNoise, RoundingIsNotADifference) {
  std::vector<double> a, b;
  for (int i = 0; i < 30; ++i) {
    const double n = 1000.0 * (i % 2 ? 1.3 : 0.7);
    a.push_back(n * 5e-6 * 1e6 / n);
    b.push_back((n + 1) * 5e-6 * 1e6 / (n + 1));
  }
  const RatioInterval ci = ratio_interval(a, b);
  ASSERT_TRUE(ci.valid);
  EXPECT_NEAR(ci.ratio, 1.0, 1e-12);
  EXPECT_FALSE(ci.differs());
  for (double& v : b) v *= 1.001;  // a real, if small, difference is still seen
  EXPECT_TRUE(ratio_interval(a, b).differs());
}

}  // namespace
