#pragma once
#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <limits>
#include <vector>

#include "client/runner.hpp"
#include "client/time_series.hpp"

namespace corobench {

// One second of a run as reports, charts and `corobench compare` see it.
struct SeriesPoint {
  static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

  double t_s = 0;  // start, in seconds from the end of warmup (negative: warmup)
  double duration_s =
      1;  // the part of the second the run covered (the first and last may be short)
  bool warmup = false;
  std::uint64_t ok = 0;     // 2xx answers
  std::uint64_t other = 0;  // other answers
  std::array<std::uint64_t, kErrorKinds> errors{};
  double p50_us = kNone;  // of 2xx answers; NaN when there was none
  double p99_us = kNone;
  double max_us = kNone;
  std::uint64_t connections = 0;  // most open at once
  // CPU seconds used in this second, by corobench and (with --server-pid)
  // by the server; NaN when not known (warmup, a partial second).
  double generator_cpu_s = kNone;
  double server_cpu_s = kNone;

  std::uint64_t responses() const noexcept { return ok + other; }
  std::uint64_t error_total() const noexcept;
  double responses_per_s() const noexcept { return rate(responses()); }
  double ok_per_s() const noexcept { return rate(ok); }
  // Microseconds of CPU per answer in this second; NaN when unknown.
  double generator_us_per_response() const noexcept { return per_response(generator_cpu_s); }
  double server_us_per_response() const noexcept { return per_response(server_cpu_s); }
  // A measured second the run covered from start to end: the ones whose
  // rates compare fairly.
  bool whole() const noexcept { return !warmup && duration_s >= 0.999; }

 private:
  double rate(std::uint64_t n) const noexcept {
    return duration_s > 0 ? static_cast<double>(n) / duration_s : 0.0;
  }
  double per_response(double cpu_s) const noexcept {
    return responses() ? cpu_s * 1e6 / static_cast<double>(responses()) : kNone;
  }
};

// The run's seconds, from the first warmup second to the last answer: the
// seconds from the end of warmup are cut at `elapsed_s`, the first warmup
// second at `warmup_s` before it.
std::vector<SeriesPoint> series_points(const TimeSeries& s, double warmup_s, double elapsed_s);
// The same for a finished run.
std::vector<SeriesPoint> series_points(const RunResult& r);

// `time_series` of the --json result, and back (throws std::invalid_argument
// naming what is missing or of the wrong type).
boost::json::object series_json(const std::vector<SeriesPoint>& points);
std::vector<SeriesPoint> series_from_json(const boost::json::object& time_series);

}  // namespace corobench
