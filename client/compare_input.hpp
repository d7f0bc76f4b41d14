#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "client/time_series_report.hpp"

namespace corobench {

// What `corobench compare` reads from one --json result: the run's figures
// and its seconds.
struct RunFigures {
  std::string path;
  double requests_per_s = 0;
  double goodput_per_s = 0;
  double p50_us = 0;  // of 2xx answers
  double p99_us = 0;
  double max_us = 0;
  std::uint64_t errors = 0;
  // CPU microseconds per answer over the run; NaN when not measured (the
  // server's needs --server-pid).
  double generator_us_per_response = SeriesPoint::kNone;
  double server_us_per_response = SeriesPoint::kNone;
  std::vector<SeriesPoint> series;
};

// Reads and checks one result. Throws UsageError, naming the file, when it
// cannot be read, is not JSON, is not a corobench result, has a schema this
// corobench does not read, or has no time series.
RunFigures read_run(const std::string& path);

// The same from text already read (`path` only names it in messages).
RunFigures parse_run(const std::string& text, const std::string& path);

}  // namespace corobench
