#pragma once
// Every request the server shed, by reason (overloaded.hpp), and how long
// the server took to answer it. A refusal answered in 0.2 ms must not make
// the latency of work done look better, so shed requests are timed here and
// not in their route's latency. Loop thread only, like Metrics.
#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "common/latency_histogram.hpp"
#include "server/metric_families.hpp"
#include "server/overloaded.hpp"

namespace coroserve {

class ShedMetrics {
 public:
  ShedMetrics();

  // Counted when the decision is made, whether or not the answer gets out.
  void count(ShedReason reason) { ++counts_[index(reason)]; }
  // First byte of the request to its refusal written.
  void record(ShedReason reason, std::chrono::nanoseconds duration) {
    latency_[index(reason)].record(duration.count());
  }
  std::uint64_t count_of(ShedReason reason) const { return counts_[index(reason)]; }
  std::uint64_t total() const;

  void add_families(prom::Families& f) const;
  // {"total": n, "queue_time": {"count", "p50_us", "p99_us", "max_us"}, ...}
  boost::json::object json() const;

 private:
  static std::size_t index(ShedReason r) { return static_cast<std::size_t>(r); }
  std::array<std::uint64_t, kShedReasons.size()> counts_{};
  std::vector<LatencyHistogram> latency_;  // by reason, as kShedReasons
};

}  // namespace coroserve
