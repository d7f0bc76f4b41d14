#include "client/load_threads.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "client/connection.hpp"
#include "client/errors.hpp"
#include "client/timeout_sweeper.hpp"

namespace corobench {

namespace asio = boost::asio;

LoadThreads::LoadThreads(const LoadPlan& plan, RunControl& ctl, const ConnectTarget& to)
    : plan_(plan),
      ctl_(ctl),
      to_(to),
      live_(plan.threads),
      results_(plan.threads),
      series_(plan.threads),
      fatal_(plan.threads) {
  const unsigned n = plan.threads;
  unsigned first = 0;
  for (unsigned t = 0; t < n; ++t) {
    const unsigned count = plan.connections / n + (t < plan.connections % n ? 1 : 0);
    threads_.emplace_back([this, t, first, count] {
      run_thread(t, first, count);
      finished_.fetch_add(1);
    });
    first += count;
  }
}

LoadThreads::~LoadThreads() {
  // Only reached early when join() was never called (an exception on the
  // main thread): the threads must not outlive what they reference.
  ctl_.stop = true;
  for (auto& th : threads_) {
    if (th.joinable()) th.join();
  }
}

// Runs one thread's share: `count` connections numbered from `first`.
void LoadThreads::run_thread(unsigned t, unsigned first, unsigned count) {
  try {
    // Nothing outside this thread touches this context or its sockets and
    // timers (the stop flag is an atomic the thread reads), so Asio may
    // skip every lock: in the scheduler and in the reactor.
    asio::io_context ioc(BOOST_ASIO_CONCURRENCY_HINT_UNSAFE);
    ThreadContext ctx(ioc, plan_, ctl_, to_, live_[t]);
    ctx.active = count;
    auto rethrow = [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    };
    for (unsigned i = 0; i < count; ++i) {
      asio::co_spawn(ioc, run_connection(ctx, first + i), rethrow);
    }
    asio::co_spawn(ioc, run_timeout_sweeper(ctx), rethrow);
    ioc.run();
    results_[t].emplace(std::move(ctx.stats));
    series_[t] = std::move(ctx.series);
  } catch (const std::exception& e) {
    fatal_[t] = e.what();
    ctl_.stop = true;
  }
}

std::uint64_t LoadThreads::responses() const noexcept {
  std::uint64_t n = 0;
  for (const auto& l : live_) n += l.responses.load(std::memory_order_relaxed);
  return n;
}

std::uint64_t LoadThreads::errors() const noexcept {
  std::uint64_t n = 0;
  for (const auto& l : live_) n += l.errors.load(std::memory_order_relaxed);
  return n;
}

ThreadStats LoadThreads::join(std::size_t per_line) {
  for (auto& th : threads_) th.join();
  for (const auto& f : fatal_) {
    if (!f.empty()) throw RunError("load thread failed: " + f);
  }
  ThreadStats total(per_line);
  for (auto& s : results_) total.merge(*s);
  return total;
}

TimeSeries LoadThreads::series() const {
  TimeSeries all;
  for (const auto& s : series_) all.merge(s);
  return all;
}

}  // namespace corobench
