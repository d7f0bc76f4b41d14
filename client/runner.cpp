#include "client/runner.hpp"

#include <unistd.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>

#include "client/errors.hpp"
#include "client/load_threads.hpp"
#include "client/progress.hpp"

namespace corobench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

std::atomic<bool>& interrupt_requested() noexcept {
  static std::atomic<bool> flag{false};
  return flag;
}

std::vector<tcp::endpoint> resolve_target(const Target& t) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  const auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
  if (ec || results.empty()) {
    throw RunError("cannot resolve host '" + t.host +
                   "': " + (ec ? ec.message() : std::string("no addresses")));
  }
  std::vector<tcp::endpoint> eps;
  for (const auto& r : results) eps.push_back(r.endpoint());
  return eps;
}

void check_reachable(const Target& t, const std::vector<tcp::endpoint>& eps,
                     std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  tcp::socket sock(ioc);
  asio::steady_timer timer(ioc);
  std::optional<boost::system::error_code> result;
  bool timed_out = false;
  asio::async_connect(sock, eps, [&](const boost::system::error_code& ec, const tcp::endpoint&) {
    result = ec;
    timer.cancel();
  });
  timer.expires_after(timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (!ec && !result) {
      timed_out = true;
      boost::system::error_code ignored;
      sock.close(ignored);
    }
  });
  ioc.run();
  if (result && !*result) return;
  const std::string why =
      timed_out ? "no answer within " + std::to_string(timeout.count()) + " ms" : result->message();
  throw RunError("cannot connect to " + t.host + ":" + std::to_string(t.port) + " (" + t.url +
                 "): " + why);
}

namespace {

// Warmup starts now; -d counts from its end.
void start_clock(RunControl& ctl, const LoadPlan& plan) {
  ctl.limited = plan.total_requests.has_value();
  if (ctl.limited) ctl.remaining = static_cast<std::int64_t>(*plan.total_requests);
  ctl.start = Clock::now();
  ctl.measure_start = ctl.start + plan.warmup;
  if (plan.duration) ctl.end = ctl.measure_start + *plan.duration;
}

// The main thread only watches while the load threads run: Ctrl-C, and the
// progress line once a second. Returns whether Ctrl-C stopped the run.
bool watch(const LoadPlan& plan, RunControl& ctl, const LoadThreads& threads) {
  ProgressLine progress(plan.progress && ::isatty(STDERR_FILENO));
  auto next_progress = ctl.start + 1s;
  bool interrupted = false;
  while (!threads.all_finished()) {
    std::this_thread::sleep_for(50ms);
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
  const auto eps = resolve_target(plan.target);
  check_reachable(plan.target, eps, plan.connect_check_timeout);

  RunControl ctl;
  start_clock(ctl, plan);
  LoadThreads threads(plan, ctl, eps);
  RunResult r;
  r.interrupted = watch(plan, ctl, threads);
  r.stats = threads.join(plan.per_line_stats ? plan.requests.size() : 0);
  r.plan = plan;
  // The measured period ends with the last answer (or error), or now if
  // there was none.
  const auto last = r.stats.last_done > ctl.measure_start ? r.stats.last_done : Clock::now();
  r.elapsed_s = std::max(0.0, std::chrono::duration<double>(last - ctl.measure_start).count());
  return r;
}

}  // namespace corobench
