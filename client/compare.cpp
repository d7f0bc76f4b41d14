#include "client/compare.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "client/compare_figures.hpp"
#include "client/errors.hpp"
#include "client/format.hpp"

namespace corobench {

namespace {

// The figures side by side; every run after the first with its ratio.
std::string figures_table(const std::vector<RunFigures>& runs) {
  std::string s = cell("", kLabelWidth);
  for (std::size_t i = 0; i < runs.size(); ++i) s += cell(run_name(i), i == 0 ? 12 : 22);
  s += "\n";
  for (const Figure& f : compared_figures()) {
    if (!shown(f, runs)) continue;
    s += cell(f.label, kLabelWidth);
    const double base = f.total(runs[0]);
    s += cell(value_text(f, base), 12);
    for (std::size_t i = 1; i < runs.size(); ++i) {
      const double v = f.total(runs[i]);
      s += cell(value_text(f, v) + " " + ratio_text(base, v), 22);
    }
    s += "\n";
  }
  return s;
}

// The measured whole seconds of a run, as one figure sees them.
std::vector<double> seconds_of(const RunFigures& r, const Figure& f) {
  std::vector<double> out;
  for (const SeriesPoint& p : r.series) {
    const double v = f.second(p);
    if (p.whole() && !std::isnan(v)) out.push_back(v);
  }
  return out;
}

std::string noise_line(const std::string& who, const Figure& f, const std::vector<double>& a,
                       const std::vector<double>& b, const NoiseSettings& settings) {
  const bool enough = a.size() >= kMinNoiseSamples && b.size() >= kMinNoiseSamples;
  return interval_line(who, f, ratio_interval(a, b, settings),
                       enough ? "a mean of 0"
                              : "fewer than " + std::to_string(kMinNoiseSamples) +
                                    " measured whole seconds with a value");
}

// How the runs' requests/s seconds are batched: the batches when every run
// has as many seconds, else the rule.
std::string batches_text(const std::vector<RunFigures>& runs) {
  const std::size_t n = seconds_of(runs[0], compared_figures()[0]).size();
  bool alike = n >= kMinNoiseSamples;
  for (const RunFigures& r : runs)
    alike = alike && seconds_of(r, compared_figures()[0]).size() == n;
  if (!alike) return "round(seconds^0.4) batches of consecutive seconds a run";
  const std::size_t k = batch_count(n);
  return std::to_string(k) + " batches of " +
         format_number(n % k ? "about %.1f" : "%.0f", static_cast<double>(n) / k) +
         " seconds a run";
}

std::string noise_section(const std::vector<RunFigures>& runs, const NoiseSettings& settings) {
  std::string s = format_number("%.0f", settings.confidence * 100) +
                  "% interval of the ratio of per-second means, batch means with Student t (" +
                  batches_text(runs) + ", Welch df):\n";
  for (std::size_t i = 1; i < runs.size(); ++i) {
    for (const Figure& f : compared_figures()) {
      if (!f.second || !shown(f, runs)) continue;
      s += noise_line(run_name(i) + " vs A", f, seconds_of(runs[0], f), seconds_of(runs[i], f),
                      settings);
    }
  }
  return s;
}

std::string legend(const std::vector<RunFigures>& runs) {
  std::string s;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::size_t whole = 0;
    for (const SeriesPoint& p : runs[i].series) whole += p.whole() ? 1 : 0;
    s += run_name(i) + " = " + runs[i].path + " (" + std::to_string(whole) +
         " measured whole seconds)\n";
  }
  return s;
}

}  // namespace

std::string format_comparison(const std::vector<RunFigures>& runs, const NoiseSettings& settings) {
  if (runs.empty()) return {};
  std::string s = legend(runs);
  s += '\n';
  s += figures_table(runs);
  if (runs.size() > 1) {
    s += '\n';
    s += noise_section(runs, settings);
  }
  return s;
}

int run_compare(const std::vector<std::string>& files) {
  if (files.size() < 2) throw UsageError("compare needs two or more --json results");
  std::vector<RunFigures> runs;
  for (const std::string& f : files) runs.push_back(read_run(f));
  std::cout << format_comparison(runs) << std::flush;
  return 0;
}

}  // namespace corobench
