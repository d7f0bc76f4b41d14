#include "client/compare.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

#include "client/errors.hpp"
#include "client/format.hpp"

namespace corobench {

namespace {

// A, B, ..., Z, A1, ... (snprintf: GCC 12 warns falsely on short string sums).
std::string run_name(std::size_t i) {
  char buf[32];
  if (i < 26) {
    std::snprintf(buf, sizeof buf, "%c", static_cast<char>('A' + i));
  } else {
    std::snprintf(buf, sizeof buf, "%c%zu", static_cast<char>('A' + i % 26), i / 26);
  }
  return buf;
}

// A figure of a run, how it is printed, and its per-second series.
struct Figure {
  const char* label;
  double (*total)(const RunFigures&);
  double (*second)(const SeriesPoint&);  // null: no per-second series
  enum class Unit { rate, latency, count } unit;
};

constexpr Figure kFigures[] = {
    {"requests/s", [](const RunFigures& r) { return r.requests_per_s; },
     [](const SeriesPoint& p) { return p.responses_per_s(); }, Figure::Unit::rate},
    {"goodput/s", [](const RunFigures& r) { return r.goodput_per_s; },
     [](const SeriesPoint& p) { return p.ok_per_s(); }, Figure::Unit::rate},
    {"2xx p50", [](const RunFigures& r) { return r.p50_us; },
     [](const SeriesPoint& p) { return p.p50_us; }, Figure::Unit::latency},
    {"2xx p99", [](const RunFigures& r) { return r.p99_us; },
     [](const SeriesPoint& p) { return p.p99_us; }, Figure::Unit::latency},
    {"2xx max", [](const RunFigures& r) { return r.max_us; }, nullptr, Figure::Unit::latency},
    {"errors", [](const RunFigures& r) { return static_cast<double>(r.errors); }, nullptr,
     Figure::Unit::count},
    // When corobench limits a run, the rates show its pace; the server's CPU
    // per answer still shows what an answer costs the server.
    {"server CPU/req", [](const RunFigures& r) { return r.server_us_per_response; },
     [](const SeriesPoint& p) { return p.server_us_per_response(); }, Figure::Unit::latency},
    {"corobench CPU/req", [](const RunFigures& r) { return r.generator_us_per_response; },
     [](const SeriesPoint& p) { return p.generator_us_per_response(); }, Figure::Unit::latency},
};

constexpr int kLabelWidth = 18;

// A figure no run has (the server's CPU without --server-pid) is left out.
bool shown(const Figure& f, const std::vector<RunFigures>& runs) {
  for (const RunFigures& r : runs) {
    if (!std::isnan(f.total(r))) return true;
  }
  return false;
}

std::string value_text(const Figure& f, double v) {
  if (std::isnan(v)) return "-";
  switch (f.unit) {
    case Figure::Unit::latency:
      return format_duration_ns(v * 1000.0);
    case Figure::Unit::count:
      return format_number("%.0f", v);
    default:
      return format_number("%.1f", v);
  }
}

std::string ratio_text(double base, double v) {
  return base > 0 && !std::isnan(v) ? format_number("x%.3f", v / base) : std::string("-");
}

std::string cell(const std::string& text, int width) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%*s", width, text.c_str());
  return buf;
}

// The figures side by side; every run after the first with its ratio.
std::string figures_table(const std::vector<RunFigures>& runs) {
  std::string s = cell("", kLabelWidth);
  for (std::size_t i = 0; i < runs.size(); ++i) s += cell(run_name(i), i == 0 ? 12 : 22);
  s += "\n";
  for (const Figure& f : kFigures) {
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

// Too few seconds, or a mean of 0 (nothing to take a ratio of).
std::string verdict(const RatioInterval& ci, bool enough_seconds) {
  if (!enough_seconds)
    return "no verdict: fewer than " + std::to_string(kMinNoiseSamples) +
           " measured whole seconds with a value";
  if (!ci.valid) return "no verdict: a mean of 0";
  if (!ci.differs()) return "within the noise";
  return ci.lo > 1.0 ? "higher, beyond the noise" : "lower, beyond the noise";
}

std::string noise_line(const std::string& who, const Figure& f, const std::vector<double>& a,
                       const std::vector<double>& b, const NoiseSettings& settings) {
  const RatioInterval ci = ratio_interval(a, b, settings);
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-7s %-*s ", who.c_str(), kLabelWidth - 1, f.label);
  std::string s = buf;
  if (ci.valid) {
    std::snprintf(buf, sizeof buf, "x%.3f [%.3f, %.3f]  ", ci.ratio, ci.lo, ci.hi);
    s += buf;
    // df 0: neither run varied, the interval is the ratio itself.
    if (ci.df > 0) s += format_number("df %.1f  ", ci.df);
  }
  const bool enough = a.size() >= kMinNoiseSamples && b.size() >= kMinNoiseSamples;
  return s + verdict(ci, enough) + "\n";
}

// How the runs' requests/s seconds are batched: the batches when every run
// has as many seconds, else the rule.
std::string batches_text(const std::vector<RunFigures>& runs) {
  const std::size_t n = seconds_of(runs[0], kFigures[0]).size();
  bool alike = n >= kMinNoiseSamples;
  for (const RunFigures& r : runs) alike = alike && seconds_of(r, kFigures[0]).size() == n;
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
    for (const Figure& f : kFigures) {
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
