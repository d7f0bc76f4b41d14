#include "client/fail_on_check.hpp"

#include "client/format.hpp"
#include "client/runner.hpp"

namespace corobench {

namespace {

double per_s(std::uint64_t n, double s) {
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

double share(std::uint64_t part, std::uint64_t whole) {
  return whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

struct Figure {
  std::optional<double> value;  // in the threshold's terms; none: not measured
  std::string text;
};

// A count, or its share of `whole` when the threshold is a percent.
Figure count_figure(const Threshold& t, std::uint64_t n, std::uint64_t whole) {
  const std::string name(to_string(t.metric));
  if (!t.percent) return {static_cast<double>(n), name + " = " + std::to_string(n)};
  const double pct = share(n, whole);
  return {pct, name + " = " + format_number("%.2f", pct) + "% (" + std::to_string(n) + " of " +
                   std::to_string(whole) + ")"};
}

Figure latency_figure(const Threshold& t, const std::optional<double>& us) {
  const std::string name(to_string(t.metric));
  if (!us) return {std::nullopt, name + ": no 2xx answer to measure"};
  return {us, name + " = " + format_duration_ns(*us * 1e3)};
}

Figure figure(const Threshold& t, const GateFigures& f) {
  switch (t.metric) {
    case GateMetric::p50:
    case GateMetric::p90:
    case GateMetric::p99:
    case GateMetric::p999:
    case GateMetric::max:
      return latency_figure(t, f.latency_us[static_cast<std::size_t>(t.metric)]);
    case GateMetric::errors:
      return count_figure(t, f.errors, f.requests);
    case GateMetric::non2xx:
      return count_figure(t, f.non2xx, f.responses);
    case GateMetric::late:
      return count_figure(t, f.late, f.requests);
    case GateMetric::dropped:
      return count_figure(t, f.dropped, f.requests + f.dropped);
    case GateMetric::rps:
      return {f.rps, "rps = " + format_number("%.1f", f.rps)};
    case GateMetric::goodput:
      return {f.goodput, "goodput = " + format_number("%.1f", f.goodput)};
  }
  return {std::nullopt, "unknown"};
}

}  // namespace

GateFigures figures_of(const RunResult& r) {
  const LineStats& t = r.stats.total;
  GateFigures f;
  if (t.latency.count() > 0) {
    constexpr double kPercentiles[] = {50, 90, 99, 99.9};
    for (std::size_t i = 0; i < 4; ++i) {
      f.latency_us[i] = static_cast<double>(t.latency.percentile(kPercentiles[i])) / 1e3;
    }
    f.latency_us[4] = static_cast<double>(t.latency.max()) / 1e3;
  }
  f.requests = t.requests;
  f.responses = t.responses;
  f.errors = t.error_total();
  f.non2xx = t.responses - t.ok_total();
  f.late = r.stats.late_sends;
  f.dropped = r.stats.dropped_sends;
  f.rps = per_s(t.responses, r.elapsed_s);
  f.goodput = per_s(t.ok_total(), r.elapsed_s);
  return f;
}

std::vector<GateResult> check_thresholds(const std::vector<Threshold>& ts, const GateFigures& f) {
  std::vector<GateResult> out;
  for (const Threshold& t : ts) {
    const Figure fig = figure(t, f);
    const bool crossed = !fig.value || (t.above ? *fig.value > t.limit : *fig.value < t.limit);
    out.push_back({t.text, fig.text, crossed});
  }
  return out;
}

std::string format_gates(const std::vector<GateResult>& gates) {
  std::string s;
  for (const GateResult& g : gates) {
    s += s.empty() ? "Fail-on:      " : "              ";
    s += g.threshold + (g.crossed ? " crossed: " : " held: ") + g.actual + "\n";
  }
  return s;
}

}  // namespace corobench
