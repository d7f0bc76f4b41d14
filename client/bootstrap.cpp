#include "client/bootstrap.hpp"

#include <algorithm>
#include <cmath>

namespace corobench {

namespace {

// splitmix64: small, fast, and the same sequence on every platform (the
// standard distributions are not specified bit for bit).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n); the modulo bias is below n / 2^64.
  std::size_t below(std::size_t n) noexcept { return static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

double mean(const std::vector<double>& x) {
  double sum = 0;
  for (double v : x) sum += v;
  return sum / static_cast<double>(x.size());
}

// The mean of one block resample of `x`. Blocks wrap around the end (the
// circular form of the moving-block bootstrap): every second is then drawn
// equally often, where plain moving blocks under-draw both ends and shift
// the resampled means of a drifting run.
double resampled_mean(const std::vector<double>& x, std::size_t block, Rng& rng) {
  const std::size_t n = x.size();
  double sum = 0;
  for (std::size_t taken = 0; taken < n;) {
    const std::size_t from = rng.below(n);
    for (std::size_t j = 0; j < block && taken < n; ++j, ++taken) sum += x[(from + j) % n];
  }
  return sum / static_cast<double>(n);
}

// The value below which a share `q` of the sorted values lies.
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto i = static_cast<std::size_t>(std::floor(pos));
  const std::size_t j = std::min(i + 1, sorted.size() - 1);
  return sorted[i] + (sorted[j] - sorted[i]) * (pos - static_cast<double>(i));
}

}  // namespace

std::size_t block_length(std::size_t n) noexcept {
  return std::max<std::size_t>(1, static_cast<std::size_t>(std::lround(std::sqrt(n))));
}

RatioInterval bootstrap_ratio(const std::vector<double>& a, const std::vector<double>& b,
                              const BootstrapSettings& settings) {
  RatioInterval r;
  if (a.size() < kMinBootstrapSamples || b.size() < kMinBootstrapSamples) return r;
  const double mean_a = mean(a);
  if (!(mean_a > 0)) return r;
  r.ratio = mean(b) / mean_a;
  r.block_a = block_length(a.size());
  r.block_b = block_length(b.size());
  Rng rng(settings.seed);
  std::vector<double> ratios;
  ratios.reserve(settings.resamples);
  for (unsigned i = 0; i < settings.resamples; ++i) {
    const double ma = resampled_mean(a, r.block_a, rng);
    const double mb = resampled_mean(b, r.block_b, rng);
    if (ma > 0) ratios.push_back(mb / ma);
  }
  if (ratios.empty()) return r;
  std::sort(ratios.begin(), ratios.end());
  const double tail = (1.0 - settings.confidence) / 2.0;
  r.lo = quantile(ratios, tail);
  r.hi = quantile(ratios, 1.0 - tail);
  r.valid = true;
  return r;
}

}  // namespace corobench
