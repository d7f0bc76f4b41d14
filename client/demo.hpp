#pragma once
#include <string>
#include <vector>

#include "client/options.hpp"

namespace corobench {

// One row of the demo's table.
struct DemoRow {
  std::string phase;    // "I/O alone", ...
  std::string clients;  // "20 I/O", "2 CPU", "20 I/O + 2 CPU"
  double io_rps = -1;   // I/O requests/s (-1: not part of this phase)
  double io_p50_ms = -1;
  double io_p99_ms = -1;
  double cpu_rps = -1;  // CPU requests/s
  std::uint64_t errors = 0;
};

// Renders the rows as the fixed-width table the demo prints.
std::string format_demo_table(const std::vector<DemoRow>& rows);

// `corobench demo URL`: runs the concurrency-vs-parallelism experiment
// against a coroserve (each phase DemoOptions::phase long, ~25 s in all with
// the defaults, bounded well under a minute), prints the table and, with
// --svg, writes a chart of the I/O latencies. Returns the exit status.
int run_demo(const DemoOptions& o);

}  // namespace corobench
