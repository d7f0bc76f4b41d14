#include "client/demo_table.hpp"

#include <cstdio>

#include "client/report.hpp"

namespace corobench {

namespace {

// A value, or "-" where the phase has none.
std::string cell(double v, const char* f) {
  return v < 0 ? "-" : format_number(f, v);
}

}  // namespace

std::string format_demo_table(const std::vector<DemoRow>& rows) {
  std::string s;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %-16s %10s %10s %10s %10s %7s\n", "phase", "clients",
                "I/O req/s", "I/O p50", "I/O p99", "CPU req/s", "errors");
  s += line;
  s.append(97, '-');
  s += '\n';
  for (const DemoRow& r : rows) {
    std::snprintf(line, sizeof line, "%-28s %-16s %10s %10s %10s %10s %7llu\n", r.phase.c_str(),
                  r.clients.c_str(), cell(r.io_rps, "%.0f").c_str(),
                  cell(r.io_p50_ms, "%.2f ms").c_str(), cell(r.io_p99_ms, "%.2f ms").c_str(),
                  cell(r.cpu_rps, "%.1f").c_str(), static_cast<unsigned long long>(r.errors));
    s += line;
  }
  return s;
}

}  // namespace corobench
