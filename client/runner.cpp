#include "client/runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "client/cpu_series.hpp"
#include "client/errors.hpp"
#include "client/file_limit.hpp"
#include "client/load_threads.hpp"
#include "client/progress.hpp"
#include "client/reach.hpp"
#include "client/tls_client.hpp"

namespace corobench {

using namespace std::chrono_literals;

std::atomic<bool>& interrupt_requested() noexcept {
  static std::atomic<bool> flag{false};
  return flag;
}

std::atomic<int>& interrupt_signal() noexcept {
  static std::atomic<int> signal{0};
  return signal;
}

int interrupted_exit_status() noexcept {
  return 128 + interrupt_signal().load();
}

namespace {

// Warmup starts now; -d counts from its end.
void start_clock(RunControl& ctl, const LoadPlan& plan) {
  ctl.limited = plan.total_requests.has_value();
  if (ctl.limited) ctl.remaining = static_cast<std::int64_t>(*plan.total_requests);
  ctl.start = Clock::now();
  ctl.measure_start = ctl.start + plan.warmup;
  if (plan.duration) ctl.end = ctl.measure_start + *plan.duration;
  if (plan.connect_rate) ctl.connect_pacer.emplace(*plan.connect_rate, ctl.start);
}

// corobench's CPU and, with --server-pid, the server's: over the measured
// period, and second by second.
struct CpuWatches {
  // Built before the load threads start: the first per-second readings are
  // dated the run's start, which they miss only by this thread's few
  // microseconds, and with no warmup second 0 begins there.
  CpuWatches(const LoadPlan& plan, const RunControl& ctl) : self_seconds(0, ctl.measure_start) {
    if (plan.server_pid) {
      server.emplace(*plan.server_pid);
      server_seconds.emplace(*plan.server_pid, ctl.measure_start);
    }
    poll_seconds(ctl.start);
  }
  CpuWatch self{0};
  std::optional<CpuWatch> server;
  CpuSeries self_seconds;
  std::optional<CpuSeries> server_seconds;

  void sample() {
    self.sample();
    if (server) server->sample();
  }
  void poll_seconds(Clock::time_point now) {
    self_seconds.poll(now);
    if (server_seconds) server_seconds->poll(now);
  }
};

// What limited the run, from the CPU samples and the open loop's late and
// dropped sends.
void judge_run(RunResult& r, const CpuWatches& cpu) {
  r.generator_cpu = cpu.self.use().value_or(CpuUse{});
  r.generator_cpu_seconds = cpu.self_seconds.seconds();
  if (cpu.server) r.server_cpu = cpu.server->use();
  if (cpu.server_seconds) r.server_cpu_seconds = cpu.server_seconds->seconds();
  VerdictInput in;
  in.generator = r.generator_cpu;
  in.server = r.server_cpu;
  in.cpus = std::max(1u, std::thread::hardware_concurrency());
  in.open_loop = r.plan.rate.has_value();
  in.sent = r.stats.total.requests;
  in.late_sends = r.stats.late_sends;
  in.dropped_sends = r.stats.dropped_sends;
  r.verdict = judge(in);
}

// The main thread only watches while the load threads run: Ctrl-C, and the
// progress line once a second. Returns whether Ctrl-C stopped the run.
bool watch(const LoadPlan& plan, RunControl& ctl, const LoadThreads& threads, CpuWatches& cpu) {
  ProgressLine progress(resolve(plan.progress, ::isatty(STDERR_FILENO)));
  auto next_progress = ctl.start + 1s;
  bool interrupted = false;
  while (!threads.all_finished()) {
    if (Clock::now() >= ctl.measure_start) cpu.sample();
    // Wake for each second's CPU reading too: one near its boundary leaves
    // little to interpolation.
    std::this_thread::sleep_until(std::min(Clock::now() + 50ms, cpu.self_seconds.next_due()));
    cpu.poll_seconds(Clock::now());
    if (interrupt_requested().load() && !interrupted) {
      interrupted = true;
      ctl.stop = true;
    }
    const auto now = Clock::now();
    if (now >= next_progress) {
      progress.update(now - ctl.start, now < ctl.measure_start, threads.responses(),
                      threads.errors());
      next_progress += 1s;
    }
  }
  progress.clear();
  return interrupted;
}

}  // namespace

RunResult run_load(const LoadPlan& plan) {
  plan.validate();
  ensure_file_limit(plan.connections, plan.threads);
  ConnectTarget to = connect_target(plan.target, plan.bind);
  std::optional<TlsClient> tls;
  if (plan.target.tls) to.tls = &tls.emplace(plan.tls, plan.target);
  check_reachable(plan.target, to, plan.connect_check_timeout);

  RunControl ctl;
  start_clock(ctl, plan);
  CpuWatches cpu(plan, ctl);
  LoadThreads threads(plan, ctl, to);
  RunResult r;
  r.interrupted = watch(plan, ctl, threads, cpu);
  r.stats = threads.join(plan.per_line_stats ? plan.requests.size() : 0);
  if (tls) {
    const auto checks = tls->chain_checks();
    r.stats.phases.tls_chains_verified = checks.verified;
    r.stats.phases.tls_chains_remembered = checks.remembered;
  }
  r.series = threads.series();
  r.plan = plan;
  // The measured period ends with the last answer (or error), or now if
  // there was none.
  const auto last = r.stats.last_done > ctl.measure_start ? r.stats.last_done : Clock::now();
  r.elapsed_s = std::max(0.0, std::chrono::duration<double>(last - ctl.measure_start).count());
  judge_run(r, cpu);
  return r;
}

}  // namespace corobench
