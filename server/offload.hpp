#pragma once
// Sending a request's CPU work to the worker pool, in one call:
//
//   auto r = co_await offload(ctx, std::move(parts), where_to_run(ctx));
//
// Where::pool hands the parts to the workers and the coroutine resumes on
// the loop when all are done, while the loop serves everyone else.
// Where::loop runs them right here, one after the other, blocking every
// other connection: kept to show what the split prevents. Either way the
// request's deadline (?timeout_ms= or X-Timeout-Ms) ends it with 504, and
// on the pool a client that leaves abandons its work.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/params.hpp"
#include "server/request_context.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {

enum class Where { pool, loop };

// The parameters every CPU endpoint takes.
inline constexpr Param kWhereParam{
    .name = "where",
    .choices = "pool|loop",
    .help = "where the work runs (loop: on the event loop, to show the cost)"};
inline constexpr Param kTimeoutMsParam{
    .name = "timeout_ms",
    .min = 1,
    .max = 600'000,
    .fallback_text = "none",
    .help = "deadline from the first byte, as header X-Timeout-Ms too; past it 504"};

// The request's ?where=; 403 when where=loop is disabled (--cpu-on-loop=false).
Where where_to_run(const RequestContext& ctx);

template <class R>
using Parts = std::vector<std::function<R()>>;

template <class R>
boost::asio::awaitable<Gathered<R>> offload(RequestContext& ctx, Parts<R> parts, Where where);

namespace detail {

using Clock = std::chrono::steady_clock;

// From ?timeout_ms= or X-Timeout-Ms (the query wins); max() when none.
Clock::time_point request_deadline(const RequestContext& ctx);
// The request's client key, as --client-key says.
std::string request_client_key(const RequestContext& ctx);
// Who the work is for (`key` outlives the offload); the request's first
// offload is admitted, later ones (Mandelbrot's encode after its render) pass
// as later steps.
Admission admission_of(RequestContext& ctx, std::string_view key);
// 504, counted by whether the work had started.
[[noreturn]] void deadline_exceeded(RequestContext& ctx, bool started);

// One cancellation for the pool from two sources: the client leaving and
// the deadline passing. Shared state, because the timer's handler may run
// after the coroutine moved on.
class DeadlineCancel {
 public:
  DeadlineCancel(boost::asio::any_io_executor loop, boost::asio::cancellation_slot client_gone,
                 Clock::time_point deadline);
  ~DeadlineCancel();
  DeadlineCancel(const DeadlineCancel&) = delete;
  DeadlineCancel& operator=(const DeadlineCancel&) = delete;

  boost::asio::cancellation_slot slot() { return shared_->signal.slot(); }
  bool deadline_passed() const;

 private:
  struct Shared {
    boost::asio::cancellation_signal signal;
    bool deadline_passed = false;
  };
  std::shared_ptr<Shared> shared_ = std::make_shared<Shared>();
  boost::asio::cancellation_slot client_gone_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_;
};

// The same work either way, so the difference is only where.
template <class R>
Gathered<R> run_on_loop(RequestContext& ctx, Parts<R>& parts, Clock::time_point deadline) {
  ++ctx.server.metrics.cpu_on_loop;
  ctx.notes.where = "loop";
  if (Clock::now() >= deadline) deadline_exceeded(ctx, false);
  Gathered<R> out;
  const auto start = Clock::now();
  for (auto& p : parts) out.results.push_back(p());  // blocks every other connection
  out.timings.compute = Clock::now() - start;
  if (Clock::now() >= deadline) deadline_exceeded(ctx, true);
  return out;
}

template <class R>
boost::asio::awaitable<Gathered<R>> run_on_pool(RequestContext& ctx, Parts<R> parts,
                                                Clock::time_point deadline) {
  ctx.notes.where = "pool";
  auto client_gone = ctx.client.slot();
  auto& pool = ctx.server.pool;
  const std::string key = request_client_key(ctx);
  if (deadline == Clock::time_point::max()) {
    co_return co_await pool.run_all(std::move(parts), client_gone, deadline, Lane::cpu,
                                    admission_of(ctx, key));
  }
  if (Clock::now() >= deadline) deadline_exceeded(ctx, false);
  DeadlineCancel cancel(co_await boost::asio::this_coro::executor, client_gone, deadline);
  bool started = false;
  try {
    co_return co_await pool.run_all(std::move(parts), cancel.slot(), deadline, Lane::cpu,
                                    admission_of(ctx, key));
  } catch (const WorkAbandoned& e) {
    if (!cancel.deadline_passed()) throw;  // the client left
    started = e.started();
  }
  deadline_exceeded(ctx, started);
}

}  // namespace detail

template <class R>
boost::asio::awaitable<Gathered<R>> offload(RequestContext& ctx, Parts<R> parts, Where where) {
  const auto deadline = detail::request_deadline(ctx);
  // Not a conditional expression: GCC 12 destroys a co_await's result twice there.
  Gathered<R> out;
  if (where == Where::loop) {
    out = detail::run_on_loop(ctx, parts, deadline);
  } else {
    out = co_await detail::run_on_pool(ctx, std::move(parts), deadline);
  }
  ctx.notes.queue_wait += out.timings.queue_wait;
  ctx.notes.compute += out.timings.compute;
  co_return out;
}

}  // namespace coroserve
