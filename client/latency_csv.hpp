#pragma once
#include <string>

#include "common/latency_histogram.hpp"

namespace corobench {

// The percentile spectrum as CSV (HdrHistogram's columns, value in µs):
//   value_us,percentile,total_count,one_over_one_minus_percentile
std::string latency_csv(const coroserve::LatencyHistogram& h);

}  // namespace corobench
