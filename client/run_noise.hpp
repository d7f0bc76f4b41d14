#pragma once
#include <cstddef>
#include <vector>

namespace corobench {

// Is a difference between two runs larger than their noise? Per-second
// samples of one run are autocorrelated (a slow second is followed by
// another), so n seconds hold far fewer than n independent values, and
// treating them as independent would make the noise look smaller than it
// is. Each run is cut into batches of consecutive seconds instead: batch
// means are nearly independent when batches are longer than the seconds'
// memory, and their spread estimates the variance of the run's mean. Few
// batches give a rough estimate, so the interval uses Student's t with
// Welch-Satterthwaite degrees of freedom rather than normal quantiles; and
// it is taken for log(mean(b) / mean(a)), where the two runs' relative
// variances add (the delta method), so that it is the same whichever run
// is the baseline.
struct NoiseSettings {
  double confidence = 0.95;  // of the interval
};

// The ratio mean(b) / mean(a) and its interval.
struct RatioInterval {
  bool valid = false;  // both series long enough, both means > 0
  double ratio = 0;
  double lo = 0;
  double hi = 0;
  std::size_t batches_a = 0;
  std::size_t batches_b = 0;
  double df = 0;  // Welch-Satterthwaite; 0 when neither run varies

  // The interval excludes 1: a difference larger than the noise. Runs whose
  // seconds hardly vary give an interval as narrow as rounding; a ratio
  // within kSameRatio of 1 is rounding, not a difference.
  bool differs() const noexcept {
    return valid && (lo > 1.0 + kSameRatio || hi < 1.0 - kSameRatio);
  }
  static constexpr double kSameRatio = 1e-9;
};

// Fewer seconds than this give no interval.
inline constexpr std::size_t kMinNoiseSamples = 4;

// round(n^0.4), at least 2: 3 batches of 10 seconds, 4 of 30, 5 of 60, 6
// of 100. Batches grow faster than their number because in short runs
// their length matters most: the means of short batches of correlated
// seconds are themselves correlated, and their spread then understates the
// variance. On simulated runs, round(sqrt(n)) batches (5 of 6 seconds in a
// 30-second run) called about 7 % of pairs of one process different.
std::size_t batch_count(std::size_t n) noexcept;

// The value t with P(T <= t) = p for Student's t with `df` > 0 degrees of
// freedom (not necessarily whole), p in (0, 1).
double student_t_quantile(double p, double df);

RatioInterval ratio_interval(const std::vector<double>& a, const std::vector<double>& b,
                             const NoiseSettings& settings = {});

// Rounds run in pairs, a[i] beside b[i] in time: a machine whose speed
// drifts from one minute to the next moves both rounds of a pair alike, and
// the ratio b[i] / a[i] is left with the noise of a few seconds only. The
// ratio is the geometric mean of the pairs' ratios and its interval is
// Student's t over their logs with n - 1 degrees of freedom; pairs are
// nearly independent when each lasts longer than the seconds' memory.
// `batches_a` and `batches_b` hold the number of pairs.
RatioInterval paired_ratio_interval(const std::vector<double>& a, const std::vector<double>& b,
                                    const NoiseSettings& settings = {});

}  // namespace corobench
