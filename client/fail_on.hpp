#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace corobench {

// What a --fail-on threshold is checked against.
enum class GateMetric : std::uint8_t {
  p50,  // latency of 2xx answers (the report's latency row)
  p90,
  p99,
  p999,
  max,
  errors,   // requests that ended in an error: a count, or a % of requests
  non2xx,   // answers other than 2xx: a count, or a % of answers
  rps,      // answers per second
  goodput,  // 2xx answers per second
  late,     // open loop: sends more than 1 ms late, a count or a % of sends
  dropped,  // open loop: sends never sent, a count or a % of sends due
};

bool is_latency(GateMetric m) noexcept;
std::string_view to_string(GateMetric m) noexcept;

// One threshold of --fail-on, e.g. "p99>50ms": crossed when the figure is
// above (`>`) or below (`<`) the limit.
struct Threshold {
  std::string text;  // as written, without spaces, for the messages
  GateMetric metric = GateMetric::p99;
  bool above = true;     // '>' (else '<')
  double limit = 0;      // µs for latency, req/s for rates, else a count or a percent
  bool percent = false;  // the limit is a share (errors, non2xx, late, dropped)
};

// Parses "p99>50ms,errors>0.1%" (comma-separated; each of the repeated
// flags may hold several). Latency needs a unit (us, ms, s); errors, non2xx,
// late and dropped take a count or a percent; rps and goodput a number.
// Throws UsageError naming the threshold and what is wrong with it.
std::vector<Threshold> parse_fail_on(const std::vector<std::string>& specs);

// Late and dropped sends exist only against an open loop's schedule: a
// threshold on them in a closed loop would mean nothing, so it is a
// UsageError rather than a gate that holds or fails for no reason.
void check_schedule_gates(const std::vector<Threshold>& thresholds, bool open_loop);

}  // namespace corobench
