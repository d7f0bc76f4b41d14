#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace corobench {

// Is a difference between two runs larger than their noise? Per-second
// samples of one run are autocorrelated (a slow second is followed by
// another) and a run drifts, so resampling single seconds would make the
// noise look smaller than it is. The moving-block bootstrap resamples whole
// runs of consecutive seconds instead: each resample of a series of n
// seconds is ceil(n / L) blocks of L consecutive seconds, taken from
// uniformly drawn starting points (wrapping around the end), cut to n.
// The interval is the percentile interval of the resampled ratios. With
// L = round(sqrt(n)), the
// usual choice, blocks are long enough to keep most of the short-range
// dependence and numerous enough to vary.
struct BootstrapSettings {
  double confidence = 0.95;  // of the interval
  unsigned resamples = 2000;
  std::uint64_t seed = 1;  // fixed: the same inputs give the same interval
};

// The ratio mean(b) / mean(a) and its percentile interval over the
// resamples (a and b resampled independently).
struct RatioInterval {
  bool valid = false;  // both series long enough and mean(a) > 0
  double ratio = 0;
  double lo = 0;
  double hi = 0;
  std::size_t block_a = 0;  // block lengths used
  std::size_t block_b = 0;

  // The interval excludes 1: a difference larger than the noise.
  bool differs() const noexcept { return valid && (lo > 1.0 || hi < 1.0); }
};

// Fewer seconds than this give no interval.
inline constexpr std::size_t kMinBootstrapSamples = 4;

// round(sqrt(n)), at least 1.
std::size_t block_length(std::size_t n) noexcept;

RatioInterval bootstrap_ratio(const std::vector<double>& a, const std::vector<double>& b,
                              const BootstrapSettings& settings = {});

}  // namespace corobench
