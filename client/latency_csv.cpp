#include "client/latency_csv.hpp"

#include <cstdio>

namespace corobench {

std::string latency_csv(const coroserve::LatencyHistogram& h) {
  std::string s = "value_us,percentile,total_count,one_over_one_minus_percentile\n";
  for (const auto& pt : h.percentile_spectrum()) {
    const double frac = pt.percentile / 100.0;
    char buf[160];
    if (frac < 1.0) {
      std::snprintf(buf, sizeof buf, "%.3f,%.6f,%llu,%.2f\n",
                    static_cast<double>(pt.value_ns) / 1000.0, pt.percentile,
                    static_cast<unsigned long long>(pt.total_count), 1.0 / (1.0 - frac));
    } else {
      // 1/(1-1) is infinite; HdrHistogram leaves the column empty there.
      std::snprintf(buf, sizeof buf, "%.3f,%.6f,%llu,\n", static_cast<double>(pt.value_ns) / 1000.0,
                    pt.percentile, static_cast<unsigned long long>(pt.total_count));
    }
    s += buf;
  }
  return s;
}

}  // namespace corobench
