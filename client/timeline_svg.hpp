#pragma once
#include <string>
#include <vector>

#include "client/runner.hpp"
#include "client/svg_line_chart.hpp"
#include "client/time_series_report.hpp"

namespace corobench {

// --timeline: requests/s above, the 2xx p50 and p99 (ms) below, a point per
// second at the middle of the part of it the run covered, warmup shaded.
// Seconds the run covered for less than a quarter are left out: a rate over
// a few milliseconds says nothing.
LineChart timeline_chart(const std::vector<SeriesPoint>& points, const std::string& title);

std::string timeline_svg(const std::vector<SeriesPoint>& points, const std::string& title);
std::string timeline_svg(const RunResult& r);

}  // namespace corobench
