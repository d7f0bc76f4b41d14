#pragma once
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>

#include "client/runner.hpp"

namespace corobench {

// One number through a printf format such as "%.2f".
std::string format_number(const char* printf_format, double v);

// "31.2us", "1.23ms", "2.50s": three significant digits, the histogram's
// precision, in the largest unit that keeps the number below 1000.
std::string format_duration_ns(double ns);

// The human summary printed at the end of a run.
std::string format_summary(const RunResult& r);

// The full result as JSON; docs/corobench.md documents the schema.
boost::json::object to_json(const RunResult& r);

// The latency summary object ("latency_us") on its own; also used by demo.
boost::json::object latency_json(const coroserve::LatencyHistogram& h);

// The percentile spectrum as CSV (HdrHistogram's columns, value in µs):
//   value_us,percentile,total_count,one_over_one_minus_percentile
std::string latency_csv(const coroserve::LatencyHistogram& h);

// Writes `text` to `path` ("-" = stdout); throws RunError when it cannot.
void write_text_file(const std::string& path, const std::string& text, const char* what);

}  // namespace corobench
