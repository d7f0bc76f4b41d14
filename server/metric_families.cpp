#include "server/metric_families.hpp"

#include <algorithm>
#include <array>
#include <limits>

namespace coroserve::prom {

namespace {

constexpr std::array<double, 16> kLatencyBucketsSeconds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
    0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   5.0,  10.0};

}  // namespace

LatencyHistogram make_latency_histogram() {
  return LatencyHistogram(1'000, 3'600'000'000'000, 2);
}

ClientMetric gauge(double v, Labels labels) {
  ClientMetric m;
  m.gauge.value = v;
  m.label = std::move(labels);
  return m;
}

ClientMetric counter(double v, Labels labels) {
  ClientMetric m;
  m.counter.value = v;
  m.label = std::move(labels);
  return m;
}

ClientMetric histogram(const LatencyHistogram& h, Labels labels) {
  ClientMetric m;
  m.label = std::move(labels);
  m.histogram.sample_count = h.count();
  m.histogram.sample_sum = h.mean() * static_cast<double>(h.count()) / 1e9;
  std::vector<std::uint64_t> per_bound(kLatencyBucketsSeconds.size() + 1, 0);
  h.for_each_bucket([&](std::int64_t lo_ns, std::int64_t, std::uint64_t count) {
    const double lo = static_cast<double>(lo_ns) / 1e9;
    const auto it =
        std::lower_bound(kLatencyBucketsSeconds.begin(), kLatencyBucketsSeconds.end(), lo);
    per_bound[static_cast<std::size_t>(it - kLatencyBucketsSeconds.begin())] += count;
  });
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kLatencyBucketsSeconds.size(); ++i) {
    cumulative += per_bound[i];
    m.histogram.bucket.push_back({cumulative, i < kLatencyBucketsSeconds.size()
                                                  ? kLatencyBucketsSeconds[i]
                                                  : std::numeric_limits<double>::infinity()});
  }
  return m;
}

void add_label(std::vector<MetricFamily>& families, const std::string& name,
               const std::string& value) {
  for (auto& f : families)
    for (auto& m : f.metric) m.label.push_back({name, value});
}

MetricFamily family(std::string name, std::string help, MetricType type,
                    std::vector<ClientMetric> metrics) {
  return MetricFamily{std::move(name), std::move(help), type, std::move(metrics)};
}

}  // namespace coroserve::prom
