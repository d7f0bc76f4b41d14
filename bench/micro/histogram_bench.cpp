// LatencyHistogram: record() is on every request's path (corobench and the
// server's metrics), percentile() and merge() are on the report path.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "common/latency_histogram.hpp"

namespace {

using coroserve::LatencyHistogram;

// Latencies spread like a real run: log-normal around ~200 µs, in ns. A
// fixed seed, and a power-of-two count so the loop index wraps with a mask.
const std::vector<std::int64_t>& sample_values() {
  static const std::vector<std::int64_t> values = [] {
    std::mt19937_64 rng(42);
    std::lognormal_distribution<double> dist(12.2, 1.0);
    std::vector<std::int64_t> v(1 << 16);
    for (auto& x : v) x = static_cast<std::int64_t>(dist(rng));
    return v;
  }();
  return values;
}

LatencyHistogram filled(int digits, std::size_t n) {
  LatencyHistogram h(LatencyHistogram::kDefaultLowestNs, LatencyHistogram::kDefaultHighestNs,
                     digits);
  const auto& values = sample_values();
  for (std::size_t i = 0; i < n; ++i) h.record(values[i & (values.size() - 1)]);
  return h;
}

// Arg: significant digits.
void BM_HistogramRecord(benchmark::State& state) {
  LatencyHistogram h(LatencyHistogram::kDefaultLowestNs, LatencyHistogram::kDefaultHighestNs,
                     static_cast<int>(state.range(0)));
  const auto& values = sample_values();
  std::size_t i = 0;
  for (auto _ : state) {
    h.record(values[i++ & (values.size() - 1)]);
  }
  benchmark::DoNotOptimize(h.count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramRecord)->Arg(2)->Arg(3);

// p99 of 1M recorded values: a scan of the bucket array.
void BM_HistogramPercentile(benchmark::State& state) {
  const LatencyHistogram h = filled(static_cast<int>(state.range(0)), 1'000'000);
  for (auto _ : state) benchmark::DoNotOptimize(h.percentile(99.0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramPercentile)->Arg(2)->Arg(3);

// Merging one per-thread histogram into the total, as corobench does at the end.
void BM_HistogramMerge(benchmark::State& state) {
  const int digits = static_cast<int>(state.range(0));
  const LatencyHistogram part = filled(digits, 100'000);
  LatencyHistogram total(LatencyHistogram::kDefaultLowestNs, LatencyHistogram::kDefaultHighestNs,
                         digits);
  for (auto _ : state) {
    total.merge(part);
    benchmark::DoNotOptimize(total.count());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HistogramMerge)->Arg(2)->Arg(3);

}  // namespace
