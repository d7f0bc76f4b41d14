#include "server/shed_metrics.hpp"

#include <numeric>
#include <string>

namespace coroserve {

using namespace prom;

ShedMetrics::ShedMetrics() {
  for (std::size_t i = 0; i < kShedReasons.size(); ++i) {
    latency_.push_back(make_latency_histogram());
  }
}

std::uint64_t ShedMetrics::total() const {
  return std::accumulate(counts_.begin(), counts_.end(), std::uint64_t{0});
}

void ShedMetrics::add_families(Families& f) const {
  std::vector<ClientMetric> counts, latencies;
  for (const auto r : kShedReasons) {
    const Labels labels{{"reason", std::string(name(r))}};
    counts.push_back(counter(static_cast<double>(count_of(r)), labels));
    latencies.push_back(histogram(latency_[index(r)], labels));
  }
  f.push_back(family("coroserve_requests_shed_total",
                     "Requests refused or dropped instead of served, by reason: queue_time, "
                     "queue_full, client_cap (429), deadline (504), image_memory",
                     MetricType::Counter, std::move(counts)));
  f.push_back(family("coroserve_shed_duration_seconds",
                     "Time from the first byte of a shed request to its refusal written",
                     MetricType::Histogram, std::move(latencies)));
}

boost::json::object ShedMetrics::json() const {
  boost::json::object o{{"total", total()}};
  for (const auto r : kShedReasons) {
    const auto& h = latency_[index(r)];
    o[name(r)] = {{"count", count_of(r)},
                  {"p50_us", to_us(h.percentile(50))},
                  {"p99_us", to_us(h.percentile(99))},
                  {"max_us", to_us(h.max())}};
  }
  return o;
}

}  // namespace coroserve
