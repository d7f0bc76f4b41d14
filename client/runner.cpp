#include "client/runner.hpp"

#include <unistd.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "client/connection.hpp"
#include "client/errors.hpp"
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

// Runs one thread's share: `count` connections numbered from `first`.
void run_thread(const LoadPlan& plan, RunControl& ctl, const std::vector<tcp::endpoint>& eps,
                LiveCounters& live, unsigned first, unsigned count, std::optional<ThreadStats>& out,
                std::string& fatal) {
  try {
    // One thread runs this context: hint 1 lets Asio skip its locking.
    asio::io_context ioc(1);
    ThreadContext ctx(ioc, plan, ctl, eps, live);
    ctx.active = count;
    auto rethrow = [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    };
    for (unsigned i = 0; i < count; ++i) {
      asio::co_spawn(ioc, run_connection(ctx, first + i), rethrow);
    }
    asio::co_spawn(ioc, run_timeout_sweeper(ctx), rethrow);
    ioc.run();
    out.emplace(std::move(ctx.stats));
  } catch (const std::exception& e) {
    fatal = e.what();
    ctl.stop = true;
  }
}

}  // namespace

RunResult run_load(const LoadPlan& plan) {
  plan.validate();
  const auto eps = resolve_target(plan.target);
  check_reachable(plan.target, eps, plan.connect_check_timeout);

  RunControl ctl;
  ctl.limited = plan.total_requests.has_value();
  if (ctl.limited) ctl.remaining = static_cast<std::int64_t>(*plan.total_requests);
  ctl.start = Clock::now();
  ctl.measure_start = ctl.start + plan.warmup;
  if (plan.duration) ctl.end = ctl.measure_start + *plan.duration;

  const unsigned nthreads = plan.threads;
  std::vector<LiveCounters> live(nthreads);
  std::vector<std::optional<ThreadStats>> results(nthreads);
  std::vector<std::string> fatal(nthreads);
  std::vector<std::thread> threads;
  std::atomic<unsigned> finished{0};
  unsigned first = 0;
  for (unsigned t = 0; t < nthreads; ++t) {
    // Spread connections evenly; the first threads take the remainder.
    const unsigned count = plan.connections / nthreads + (t < plan.connections % nthreads ? 1 : 0);
    threads.emplace_back([&, t, first, count] {
      run_thread(plan, ctl, eps, live[t], first, count, results[t], fatal[t]);
      finished.fetch_add(1);
    });
    first += count;
  }

  // The main thread only watches: Ctrl-C, and the progress line once a second.
  ProgressLine progress(plan.progress && ::isatty(STDERR_FILENO));
  auto next_progress = ctl.start + 1s;
  bool interrupted = false;
  while (finished.load() < nthreads) {
    std::this_thread::sleep_for(50ms);
    if (interrupt_requested().load() && !interrupted) {
      interrupted = true;
      ctl.stop = true;
    }
    const auto now = Clock::now();
    if (now >= next_progress) {
      std::uint64_t responses = 0, errors = 0;
      for (const auto& l : live) {
        responses += l.responses.load(std::memory_order_relaxed);
        errors += l.errors.load(std::memory_order_relaxed);
      }
      progress.update(now - ctl.start, now < ctl.measure_start, responses, errors);
      next_progress += 1s;
    }
  }
  for (auto& th : threads) th.join();
  progress.clear();

  for (const auto& f : fatal) {
    if (!f.empty()) throw RunError("load thread failed: " + f);
  }
  RunResult r;
  r.plan = plan;
  r.interrupted = interrupted;
  r.stats = ThreadStats(plan.per_line_stats ? plan.requests.size() : 0);
  for (auto& s : results) r.stats.merge(*s);
  const auto last = r.stats.last_done > ctl.measure_start ? r.stats.last_done : Clock::now();
  r.elapsed_s = std::max(0.0, std::chrono::duration<double>(last - ctl.measure_start).count());
  return r;
}

}  // namespace corobench
