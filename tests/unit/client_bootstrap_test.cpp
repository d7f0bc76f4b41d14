// The statistics of `corobench compare`: a known shift is found, noise of
// one process mostly is not, and the answer is reproducible.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "client/bootstrap.hpp"

namespace {

using corobench::block_length;
using corobench::bootstrap_ratio;
using corobench::RatioInterval;

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

TEST(ClientBootstrap, BlockLengthIsRoundedSquareRoot) {
  EXPECT_EQ(block_length(1), 1u);
  EXPECT_EQ(block_length(10), 3u);
  EXPECT_EQ(block_length(30), 5u);
  EXPECT_EQ(block_length(100), 10u);
}

TEST(ClientBootstrap, TenPercentShiftIsDetected) {
  std::mt19937_64 rng(7);
  const auto a = run_seconds(rng, 30, 1000);
  const auto b = run_seconds(rng, 30, 1100);
  const RatioInterval up = bootstrap_ratio(a, b);
  ASSERT_TRUE(up.valid);
  EXPECT_NEAR(up.ratio, 1.1, 0.03);
  EXPECT_GT(up.lo, 1.0) << "[" << up.lo << ", " << up.hi << "]";
  EXPECT_TRUE(up.differs());
  const RatioInterval down = bootstrap_ratio(b, a);
  EXPECT_LT(down.hi, 1.0) << "[" << down.lo << ", " << down.hi << "]";
  EXPECT_TRUE(down.differs());
}

TEST(ClientBootstrap, SameProcessIsMostlyNotFlagged) {
  int flagged = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    std::mt19937_64 rng(seed);
    const auto a = run_seconds(rng, 30, 1000);
    const auto b = run_seconds(rng, 30, 1000);
    const RatioInterval r = bootstrap_ratio(a, b);
    ASSERT_TRUE(r.valid);
    EXPECT_LE(r.lo, r.ratio);
    EXPECT_GE(r.hi, r.ratio);
    flagged += r.differs() ? 1 : 0;
  }
  EXPECT_LE(flagged, 1);
}

TEST(ClientBootstrap, SameInputsAndSeedGiveTheSameInterval) {
  std::mt19937_64 rng(3);
  const auto a = run_seconds(rng, 20, 500);
  const auto b = run_seconds(rng, 25, 520);
  const RatioInterval r1 = bootstrap_ratio(a, b);
  const RatioInterval r2 = bootstrap_ratio(a, b);
  EXPECT_EQ(r1.lo, r2.lo);
  EXPECT_EQ(r1.hi, r2.hi);
  EXPECT_EQ(r1.block_b, 5u);
  corobench::BootstrapSettings other;
  other.seed = 99;
  EXPECT_NE(bootstrap_ratio(a, b, other).lo, r1.lo);
}

TEST(ClientBootstrap, TooFewSecondsOrANullBaselineGiveNoInterval) {
  EXPECT_FALSE(bootstrap_ratio({1, 2, 3}, {1, 2, 3, 4}).valid);
  EXPECT_FALSE(bootstrap_ratio({0, 0, 0, 0}, {1, 2, 3, 4}).valid);
  EXPECT_FALSE(bootstrap_ratio({0, 0, 0, 0}, {1, 2, 3, 4}).differs());
  // Constant series: the interval is the point, and equal runs do not differ.
  const RatioInterval same = bootstrap_ratio({5, 5, 5, 5}, {5, 5, 5, 5});
  ASSERT_TRUE(same.valid);
  EXPECT_DOUBLE_EQ(same.lo, 1.0);
  EXPECT_FALSE(same.differs());
}

}  // namespace
