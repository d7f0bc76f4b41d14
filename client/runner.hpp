#pragma once
#include <atomic>
#include <vector>

#include "client/load_plan.hpp"
#include "client/stats.hpp"
#include "client/time_series.hpp"
#include "client/verdict.hpp"

namespace corobench {

struct RunResult {
  LoadPlan plan;
  ThreadStats stats{0};
  TimeSeries series;                 // second by second, warmup included
  double elapsed_s = 0;              // measured period: end of warmup to the last answer
  bool interrupted = false;          // stopped early by Ctrl-C
  CpuUse generator_cpu;              // corobench's own, over the measured period
  std::optional<CpuUse> server_cpu;  // with --server-pid
  // CPU seconds used in each measured second (NaN: not read in time).
  std::vector<double> generator_cpu_seconds;
  std::vector<double> server_cpu_seconds;  // with --server-pid
  Verdict verdict;                         // what limited the run
};

// Set by the SIGINT and SIGTERM handler (see main.cpp); a running load stops
// within ~100 ms, and the result of what was done is still reported.
std::atomic<bool>& interrupt_requested() noexcept;
// The signal that stopped the run, and the exit status it gives: 128 + the
// signal, as a shell reports it (130 for Ctrl-C, 143 for SIGTERM).
std::atomic<int>& interrupt_signal() noexcept;
int interrupted_exit_status() noexcept;

// Runs a whole load: `plan.threads` threads, each with its own io_context and
// its share of the connections (one coroutine each), then merges what each
// thread measured. Blocks until done. Throws UsageError/RunError.
RunResult run_load(const LoadPlan& plan);

}  // namespace corobench
