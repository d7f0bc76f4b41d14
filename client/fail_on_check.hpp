#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/fail_on.hpp"

namespace corobench {

struct RunResult;

// The figures of a run that thresholds are checked against.
struct GateFigures {
  // p50, p90, p99, p99.9 and max of 2xx answers, in µs; none without any.
  std::array<std::optional<double>, 5> latency_us{};
  std::uint64_t requests = 0;  // sent (each ends as an answer or an error)
  std::uint64_t responses = 0;
  std::uint64_t errors = 0;
  std::uint64_t non2xx = 0;
  std::uint64_t late = 0;
  std::uint64_t dropped = 0;
  double rps = 0;
  double goodput = 0;
};

GateFigures figures_of(const RunResult& r);

// One threshold after the run: crossed or not, and the figure it saw.
struct GateResult {
  std::string threshold;  // as written
  std::string actual;     // e.g. "p99 = 73.2ms", "errors = 0.40% (2 of 500)"
  bool crossed = false;
};

// Checks every threshold. A latency threshold with no 2xx answer to measure
// counts as crossed: a gate must not pass on a run that measured nothing.
std::vector<GateResult> check_thresholds(const std::vector<Threshold>& ts, const GateFigures& f);

// The report's lines, "Fail-on:      p99>50ms crossed: p99 = 73.2ms", one
// per threshold; empty without thresholds.
std::string format_gates(const std::vector<GateResult>& gates);

}  // namespace corobench
