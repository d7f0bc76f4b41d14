#pragma once
// Building blocks of the Prometheus text: one sample (gauge, counter, or a
// histogram from a LatencyHistogram in the fixed second buckets below) and a
// family of samples. Metrics and TlsMetrics build their families from them.
#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/latency_histogram.hpp"

namespace coroserve::prom {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using Labels = std::vector<ClientMetric::Label>;
using Families = std::vector<MetricFamily>;

// Two significant digits over 1 us .. 1 h: ~33 KiB each, 1 % precision.
LatencyHistogram make_latency_histogram();

ClientMetric gauge(double v, Labels labels = {});
ClientMetric counter(double v, Labels labels = {});
// Cumulative buckets (0.1 ms .. 10 s, then +Inf) from the log-linear ones.
ClientMetric histogram(const LatencyHistogram& h, Labels labels = {});

MetricFamily family(std::string name, std::string help, MetricType type,
                    std::vector<ClientMetric> metrics);

// Adds one label to every sample of every family (the process's pid when
// several processes share a port).
void add_label(Families& families, const std::string& name, const std::string& value);

// JSON durations are integer microseconds, as in every other answer.
inline std::int64_t to_us(std::int64_t ns) {
  return ns / 1000;
}

}  // namespace coroserve::prom
