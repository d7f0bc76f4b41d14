#pragma once
#include <span>
#include <string>
#include <vector>

#include "client/compare_input.hpp"
#include "client/run_noise.hpp"

namespace corobench {

// The figures `corobench compare` and `--versus` set side by side: how each
// is read from a run's totals and from one of its seconds, and how it is
// printed. The one table of them both.
struct Figure {
  const char* label;
  double (*total)(const RunFigures&);
  double (*second)(const SeriesPoint&);  // null: no per-second series, not tested
  enum class Unit { rate, latency, count } unit;
};

std::span<const Figure> compared_figures();

// Width of the label column.
inline constexpr int kLabelWidth = 18;

// A, B, ..., Z, A1, ...: how runs are named in the tables.
std::string run_name(std::size_t i);

// A figure no run has (the server's CPU without --server-pid) is left out.
bool shown(const Figure& f, const std::vector<RunFigures>& runs);

// The value in its unit; "-" for NaN.
std::string value_text(const Figure& f, double v);

// "x1.234", the ratio v / base; "-" when there is none.
std::string ratio_text(double base, double v);

// `text` right-aligned in `width` columns.
std::string cell(const std::string& text, int width);

// One line of the noise section: "  B vs A  requests/s   x1.070 [1.019,
// 1.124]  df 14.0  higher, beyond the noise"; without an interval, "no
// verdict: " and why.
std::string interval_line(const std::string& who, const Figure& f, const RatioInterval& ci,
                          const std::string& no_interval_why);

}  // namespace corobench
