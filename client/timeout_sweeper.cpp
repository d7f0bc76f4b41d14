#include "client/timeout_sweeper.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<void> run_timeout_sweeper(ThreadContext& ctx) {
  asio::steady_timer timer(ctx.ioc);
  // Deadlines are enforced to within a tick: an eighth of the timeout,
  // between 1 ms and 100 ms.
  const Clock::duration tick = std::clamp<Clock::duration>(ctx.plan.timeout / 8, 1ms, 100ms);
  while (ctx.active > 0) {
    timer.expires_after(tick);
    co_await timer.async_wait(use_nothrow);
    const auto now = Clock::now();
    // Once stopped (Ctrl-C, SIGTERM), what is still in flight is cut short
    // rather than waited for: the report must not wait out a silent
    // server's --timeout. At every tick: a cancel that meets an operation
    // as it completes is lost, and the connection's next one must go too.
    const bool stopping = ctx.ctl.stop.load(std::memory_order_relaxed);
    for (ConnState* c : ctx.conns) {
      if (!c->armed()) continue;
      if (stopping) {
        c->stopped = true;
      } else if (c->deadline <= now && !c->timed_out) {
        c->timed_out = true;
      } else {
        continue;
      }
      boost::system::error_code ignored;
      c->sock.cancel(ignored);
    }
  }
}

}  // namespace corobench
