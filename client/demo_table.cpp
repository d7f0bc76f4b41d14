#include "client/demo_table.hpp"

#include <algorithm>
#include <cstdio>

#include "client/report.hpp"

namespace corobench {

namespace {

// A value, or "-" where the phase has none.
std::string cell(double v, const char* f) {
  return v < 0 ? "-" : format_number(f, v);
}

// One line of the table; the handshake column only when a phase has one.
std::string line_of(const std::string (&c)[8], bool tls) {
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %-16s %10s %10s %10s %10s", c[0].c_str(), c[1].c_str(),
                c[2].c_str(), c[3].c_str(), c[4].c_str(), c[5].c_str());
  std::string s = line;
  if (tls) {
    std::snprintf(line, sizeof line, " %11s", c[6].c_str());
    s += line;
  }
  std::snprintf(line, sizeof line, " %7s\n", c[7].c_str());
  return s + line;
}

}  // namespace

std::string format_demo_table(const std::vector<DemoRow>& rows) {
  const bool tls =
      std::any_of(rows.begin(), rows.end(), [](const DemoRow& r) { return r.tls_rps >= 0; });
  std::string s = line_of(
      {"phase", "clients", "I/O req/s", "I/O p50", "I/O p99", "CPU req/s", "handshake/s", "errors"},
      tls);
  s.append(tls ? 109 : 97, '-');
  s += '\n';
  for (const DemoRow& r : rows) {
    s += line_of({r.phase, r.clients, cell(r.io_rps, "%.0f"), cell(r.io_p50_ms, "%.2f ms"),
                  cell(r.io_p99_ms, "%.2f ms"), cell(r.cpu_rps, "%.1f"), cell(r.tls_rps, "%.0f"),
                  std::to_string(r.errors)},
                 tls);
  }
  return s;
}

}  // namespace corobench
