// The worker pool's CPU queue with admission: clients take turns, each has
// a cap, and a later step of an admitted request is never refused. Ordering
// is what is checked; nothing here depends on how long anything takes.
#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "server/worker_pool.hpp"
#include "tests/support/pool_loop.hpp"
#include "tests/support/server_stats.hpp"

namespace coroserve {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::Gate;
using test::Loop;
using test::wait_for_pool;

// One worker, and a target wait so long that these tests never shed by time.
WorkerPool::Options one_worker(std::size_t per_client = 256, std::size_t queue = 64) {
  WorkerPool::Options o;
  o.threads = 1;
  o.max_queue = queue;
  o.queue_target = 3600s;
  o.max_queued_per_client = per_client;
  return o;
}

// Lets every coroutine spawned before it run up to its first wait: they were
// queued on the loop first, so their admission is done when this resumes.
asio::awaitable<void> yield() {
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
}

const auto kNoDeadline = std::chrono::steady_clock::time_point::max();

// (Built outside the co_await: GCC 12 miscompiles a braced list there.)
std::vector<std::function<int()>> one_part(std::function<int()> fn) {
  std::vector<std::function<int()>> parts;
  parts.push_back(std::move(fn));
  return parts;
}

// Submits named one-part jobs and records the order the worker ran them in.
struct Jobs {
  WorkerPool& pool;
  Gate& gate;
  std::vector<std::string> order;  // appended by the only worker, read once it is idle
  int finished = 0;

  // Names and keys are literals: GCC 12 mishandles a coroutine's std::string
  // argument captured by a lambda.
  asio::awaitable<void> job(const char* name, Admission admission) {
    co_await pool.run_all(one_part([this, name] {
                            if (std::string_view(name) == "blocker") gate.opened.wait();
                            order.push_back(name);
                            return 0;
                          }),
                          {}, kNoDeadline, Lane::cpu, admission);
    ++finished;
  }
  void submit(asio::any_io_executor ex, const char* name, const char* client) {
    asio::co_spawn(ex, job(name, {client}), asio::detached);
  }
  // Holds the worker with the blocker; false (and a failure) if it never starts.
  bool block(asio::any_io_executor ex) {
    submit(ex, "blocker", "x");
    const auto running = wait_for_pool([&] { return pool.stats(); }, "the blocker running",
                                       [](const PoolStats& s) { return s.busy > 0; });
    EXPECT_TRUE(running);
    return static_cast<bool>(running);
  }
  asio::awaitable<void> until_finished(int n) {
    asio::steady_timer t(co_await asio::this_coro::executor);
    while (finished < n) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  }
};

TEST(PoolAdmission, ClientsTakeTurnsInTheQueue) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), one_worker());
  Gate gate;
  Jobs jobs{pool, gate, {}, 0};
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    if (!jobs.block(ex)) co_return;
    for (const char* name : {"a1", "a2", "a3"}) jobs.submit(ex, name, "a");
    jobs.submit(ex, "b1", "b");
    co_await yield();
    EXPECT_EQ(pool.stats().queued, 4u);
    EXPECT_EQ(pool.stats().clients, 2u);
    gate.open();
    co_await jobs.until_finished(5);
  });
  // FIFO would run b1 last; with turns it runs right after a's first.
  EXPECT_EQ(jobs.order, (std::vector<std::string>{"blocker", "a1", "b1", "a2", "a3"}));
}

TEST(PoolAdmission, AClientPastItsCapIsRefusedWith429AndOthersAreNot) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), one_worker(/*per_client=*/2));
  Gate gate;
  Jobs jobs{pool, gate, {}, 0};
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    if (!jobs.block(ex)) co_return;
    jobs.submit(ex, "a1", "a");
    jobs.submit(ex, "a2", "a");
    co_await yield();
    try {
      co_await pool.run_all(one_part([] { return 0; }), {}, kNoDeadline, Lane::cpu, {"a"});
      ADD_FAILURE() << "a third part of client a was admitted";
    } catch (const Overloaded& e) {
      EXPECT_EQ(e.reason(), ShedReason::client_cap);
      EXPECT_EQ(e.status(), 429u);
      EXPECT_GE(e.retry_after_s(), 1u);
    }
    jobs.submit(ex, "b1", "b");  // another client still gets in
    co_await yield();
    gate.open();
    co_await jobs.until_finished(4);
  });
  EXPECT_EQ(jobs.order, (std::vector<std::string>{"blocker", "a1", "b1", "a2"}));
  EXPECT_EQ(pool.stats().rejected, 1u);
}

// Mandelbrot's encode after its render: refusing it would waste the render.
TEST(PoolAdmission, ALaterStepPassesEvenAFullQueue) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), one_worker(256, /*queue=*/1));
  Gate gate;
  Jobs jobs{pool, gate, {}, 0};
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    if (!jobs.block(ex)) co_return;
    jobs.submit(ex, "a1", "a");  // the queue is full now
    co_await yield();
    EXPECT_THROW(
        co_await pool.run_all(one_part([] { return 0; }), {}, kNoDeadline, Lane::cpu, {"c"}),
        QueueFull);
    asio::co_spawn(ex, jobs.job("b-encode", {"b", /*later_step=*/true}), asio::detached);
    co_await yield();
    EXPECT_EQ(pool.stats().queued, 2u);
    gate.open();
    co_await jobs.until_finished(3);
  });
  EXPECT_EQ(jobs.order, (std::vector<std::string>{"blocker", "a1", "b-encode"}));
}

}  // namespace
}  // namespace coroserve
