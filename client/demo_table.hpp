#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace corobench {

// One row of the demo's table.
struct DemoRow {
  std::string phase;    // "I/O alone", ...
  std::string clients;  // "20 I/O", "2 CPU", "20 I/O + 2 CPU"
  double io_rps = -1;   // I/O requests/s (-1: not part of this phase)
  double io_p50_ms = -1;
  double io_p99_ms = -1;
  double cpu_rps = -1;  // CPU requests/s
  double tls_rps = -1;  // new connections/s, a full TLS handshake each
  std::uint64_t errors = 0;
};

// Renders the rows as the fixed-width table the demo prints.
std::string format_demo_table(const std::vector<DemoRow>& rows);

}  // namespace corobench
