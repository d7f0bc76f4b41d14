// What `corobench --versus` prints and writes: the two targets' figures
// and, for each figure a round measures, the paired interval of B / A.
#include <algorithm>
#include <cmath>
#include <limits>

#include "client/compare_figures.hpp"
#include "client/format.hpp"
#include "client/report_json.hpp"
#include "client/versus.hpp"
#include "common/version.hpp"

namespace corobench {

namespace {

// A figure of every round of one target, in pair order.
std::vector<double> rounds_of(const std::vector<RunFigures>& rounds, const Figure& f) {
  std::vector<double> out;
  for (const RunFigures& r : rounds) out.push_back(f.total(r));
  return out;
}

// The median of the rounds that have the figure; NaN when none has.
double median(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Figures with a per-second series are the ones `compare` tests; a round
// measures each of them as a whole.
bool tested(const Figure& f, const VersusResult& r) {
  return f.second && shown(f, r.a);
}

RatioInterval interval_of(const Figure& f, const VersusResult& r, const NoiseSettings& s) {
  return paired_ratio_interval(rounds_of(r.a, f), rounds_of(r.b, f), s);
}

std::string why_no_interval(const VersusResult& r) {
  return r.a.size() < kMinNoiseSamples
             ? "fewer than " + std::to_string(kMinNoiseSamples) + " pairs of rounds"
             : "a round measured 0 or nothing (no 2xx answer, or less CPU than one clock tick)";
}

std::string figures_table(const VersusResult& r) {
  std::string s = cell("", kLabelWidth) + cell("A", 12) + cell("B", 22) + "\n";
  for (const Figure& f : compared_figures()) {
    if (!shown(f, r.a) && !shown(f, r.b)) continue;
    const double a = median(rounds_of(r.a, f));
    const double b = median(rounds_of(r.b, f));
    s += cell(f.label, kLabelWidth) + cell(value_text(f, a), 12) +
         cell(value_text(f, b) + " " + ratio_text(a, b), 22) + "\n";
  }
  return s;
}

}  // namespace

std::string format_versus(const VersusResult& r, const NoiseSettings& settings) {
  const std::string pairs = std::to_string(r.a.size());
  std::string s = "A = " + r.url_a + "\nB = " + r.url_b + "\n" + pairs + " pairs of " +
                  format_number("%g", r.round_s) +
                  " s rounds, run A B, B A, A B, ...; each figure is the median of the "
                  "target's rounds\n\n";
  s += figures_table(r) + "\n";
  s += format_number("%.0f", settings.confidence * 100) +
       "% interval of B / A: the geometric mean of the " + pairs +
       " pairs' ratios, with Student t over their logs:\n";
  for (const Figure& f : compared_figures()) {
    if (tested(f, r))
      s += interval_line("B vs A", f, interval_of(f, r, settings), why_no_interval(r));
  }
  return s;
}

namespace {

namespace json = boost::json;

json::value number_or_null(double v) {
  return std::isnan(v) ? json::value(nullptr) : json::value(v);
}

json::object round_json(const RunFigures& f) {
  json::object o;
  for (const Figure& fig : compared_figures()) o[fig.label] = number_or_null(fig.total(f));
  return o;
}

json::object interval_json(const RatioInterval& ci) {
  json::object o;
  o["ratio"] = ci.valid ? json::value(ci.ratio) : json::value(nullptr);
  o["lo"] = ci.valid ? json::value(ci.lo) : json::value(nullptr);
  o["hi"] = ci.valid ? json::value(ci.hi) : json::value(nullptr);
  o["df"] = ci.df;
  o["verdict"] = !ci.valid       ? "none"
                 : !ci.differs() ? "within_noise"
                 : ci.lo > 1.0   ? "higher"
                                 : "lower";
  return o;
}

}  // namespace

json::object versus_json(const VersusResult& r, const NoiseSettings& settings) {
  json::object o;
  o["tool"] = "corobench";
  o["kind"] = "versus";
  o["schema"] = kJsonSchema;
  o["version"] = coroserve::kVersion;
  o["url_a"] = r.url_a;
  o["url_b"] = r.url_b;
  o["round_s"] = r.round_s;
  o["interrupted"] = r.interrupted;
  json::array pairs;
  for (std::size_t i = 0; i < r.a.size(); ++i) {
    pairs.push_back(json::object{{"first", a_goes_first(i) ? "A" : "B"},
                                 {"a", round_json(r.a[i])},
                                 {"b", round_json(r.b[i])}});
  }
  o["pairs"] = std::move(pairs);
  json::object cmp;
  cmp["confidence"] = settings.confidence;
  for (const Figure& f : compared_figures()) {
    if (tested(f, r)) cmp[f.label] = interval_json(interval_of(f, r, settings));
  }
  o["b_vs_a"] = std::move(cmp);
  return o;
}

}  // namespace corobench
