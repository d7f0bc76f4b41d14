#include "client/compare_figures.hpp"

#include <cmath>
#include <cstdio>

#include "client/format.hpp"

namespace corobench {

namespace {

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

}  // namespace

std::span<const Figure> compared_figures() {
  return kFigures;
}

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

std::string interval_line(const std::string& who, const Figure& f, const RatioInterval& ci,
                          const std::string& no_interval_why) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-7s %-*s ", who.c_str(), kLabelWidth - 1, f.label);
  std::string s = buf;
  if (!ci.valid) return s + "no verdict: " + no_interval_why + "\n";
  std::snprintf(buf, sizeof buf, "x%.3f [%.3f, %.3f]  ", ci.ratio, ci.lo, ci.hi);
  s += buf;
  // df 0: nothing varied, the interval is the ratio itself.
  if (ci.df > 0) s += format_number("df %.1f  ", ci.df);
  if (!ci.differs()) return s + "within the noise\n";
  return s + (ci.lo > 1.0 ? "higher, beyond the noise\n" : "lower, beyond the noise\n");
}

}  // namespace corobench
