#include "client/run_noise.hpp"

#include <algorithm>
#include <cmath>

namespace corobench {

namespace {

// The continued fraction of the regularized incomplete beta function
// (modified Lentz), which converges fast for x < (a + 1) / (a + b + 2).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-15;
  const auto guard = [](double v) { return std::fabs(v) < kTiny ? kTiny : v; };
  double c = 1.0;
  double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    const double even = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 / guard(1.0 + even * d);
    c = guard(1.0 + even / c);
    h *= d * c;
    const double odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 / guard(1.0 + odd * d);
    c = guard(1.0 + odd / c);
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < kEps) break;
  }
  return h;
}

// I_x(a, b), the regularized incomplete beta function.
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
  return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

// P(T > t) for t >= 0.
double t_upper_tail(double t, double df) {
  return 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
}

double mean(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

// The variance of the mean of `x` from its batch means. Batches differ in
// length by at most one second (the remainder is spread, none dropped); a
// batch of s seconds has a mean whose variance is about lrv / s, so
// s * (batch mean - mean)^2 estimates the long-run variance lrv.
double variance_of_mean(const std::vector<double>& x, double m, std::size_t batches) {
  const std::size_t n = x.size();
  double sum = 0;
  for (std::size_t j = 0; j < batches; ++j) {
    const std::size_t from = j * n / batches;
    const std::size_t to = (j + 1) * n / batches;
    double batch = 0;
    for (std::size_t i = from; i < to; ++i) batch += x[i];
    const auto s = static_cast<double>(to - from);
    const double dev = batch / s - m;
    sum += s * dev * dev;
  }
  return sum / (static_cast<double>(batches - 1) * static_cast<double>(n));
}

// The interval of r.ratio, log(ratio) +- t * se with Student's t at `df`;
// the ratio itself when nothing varied (se 0, df left 0).
void set_bounds(RatioInterval& r, double se, double df, const NoiseSettings& settings) {
  if (!(se > 0)) {
    r.lo = r.hi = r.ratio;
    return;
  }
  r.df = df;
  const double half = student_t_quantile(0.5 + settings.confidence / 2.0, df) * se;
  r.lo = r.ratio * std::exp(-half);
  r.hi = r.ratio * std::exp(half);
}

}  // namespace

std::size_t batch_count(std::size_t n) noexcept {
  return std::max<std::size_t>(
      2, static_cast<std::size_t>(std::lround(std::pow(static_cast<double>(n), 0.4))));
}

double student_t_quantile(double p, double df) {
  if (p == 0.5) return 0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  const double tail = 1.0 - p;
  double lo = 0;
  double hi = 1;
  while (t_upper_tail(hi, df) > tail && hi < 1e12) hi *= 2;
  // Bisection: the tail falls monotonically, and 200 halvings reach the
  // resolution of a double from any bracket found above.
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    const double mid = (lo + hi) / 2;
    (t_upper_tail(mid, df) > tail ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

RatioInterval ratio_interval(const std::vector<double>& a, const std::vector<double>& b,
                             const NoiseSettings& settings) {
  RatioInterval r;
  if (a.size() < kMinNoiseSamples || b.size() < kMinNoiseSamples) return r;
  const double mean_a = mean(a);
  const double mean_b = mean(b);
  if (!(mean_a > 0) || !(mean_b > 0)) return r;
  r.valid = true;
  r.ratio = mean_b / mean_a;
  r.batches_a = batch_count(a.size());
  r.batches_b = batch_count(b.size());
  // Relative variances: the variances of log(mean) by the delta method.
  const double ua = variance_of_mean(a, mean_a, r.batches_a) / (mean_a * mean_a);
  const double ub = variance_of_mean(b, mean_b, r.batches_b) / (mean_b * mean_b);
  const double u = ua + ub;
  const double df = u > 0 ? u * u /
                                (ua * ua / static_cast<double>(r.batches_a - 1) +
                                 ub * ub / static_cast<double>(r.batches_b - 1))
                          : 0;
  set_bounds(r, std::sqrt(u), df, settings);
  return r;
}

RatioInterval paired_ratio_interval(const std::vector<double>& a, const std::vector<double>& b,
                                    const NoiseSettings& settings) {
  RatioInterval r;
  std::vector<double> logs;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (!(a[i] > 0) || !(b[i] > 0)) return r;  // a pair without a ratio
    logs.push_back(std::log(b[i] / a[i]));
  }
  if (logs.size() < kMinNoiseSamples || a.size() != b.size()) return r;
  const double m = mean(logs);
  double sum = 0;
  for (double d : logs) sum += (d - m) * (d - m);
  const auto n = static_cast<double>(logs.size());
  r.valid = true;
  r.ratio = std::exp(m);
  r.batches_a = r.batches_b = logs.size();
  set_bounds(r, std::sqrt(sum / (n - 1) / n), n - 1, settings);
  return r;
}

}  // namespace corobench
