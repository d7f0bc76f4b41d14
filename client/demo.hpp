#pragma once
#include "client/demo_table.hpp"
#include "client/options.hpp"

namespace corobench {

// `corobench demo URL`: runs the concurrency-vs-parallelism experiment
// against a coroserve (each phase DemoOptions::phase long, ~25 s in all with
// the defaults, bounded well under a minute), prints the table and, with
// --svg, writes a chart of the I/O latencies. Returns the exit status.
int run_demo(const DemoOptions& o);

}  // namespace corobench
