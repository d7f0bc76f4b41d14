#include "server/worker_pool.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <future>
#include <utility>

#include "tests/support/pool_loop.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/wait.hpp"

namespace coroserve {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::Gate;
using test::Loop;
using test::wait_for_pool;
using test::wait_until;

bool some_worker_busy(const PoolStats& s) {
  return s.busy > 0;
}

TEST(WorkerPool, GathersResultsInOrderAndResumesOnTheLoop) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {2, 64, 0});
  const auto loop_thread = std::this_thread::get_id();
  loop.run([&]() -> asio::awaitable<void> {
    std::vector<std::function<std::thread::id()>> parts;
    for (int i = 0; i < 8; ++i) parts.emplace_back([] { return std::this_thread::get_id(); });
    auto r = co_await pool.run_all(std::move(parts));
    EXPECT_EQ(std::this_thread::get_id(), loop_thread);
    EXPECT_EQ(r.results.size(), 8u);  // (ASSERT_* cannot be used in a coroutine)
    for (auto id : r.results) EXPECT_NE(id, loop_thread);  // computed on workers

    std::vector<std::function<int()>> squares;
    for (int i = 0; i < 20; ++i) squares.emplace_back([i] { return i * i; });
    auto s = co_await pool.run_all(std::move(squares));
    for (int i = 0; i < 20; ++i) EXPECT_EQ(s.results[i], i * i);
    EXPECT_GE(s.timings.compute.count(), 0);
    EXPECT_GE(s.timings.queue_wait.count(), 0);
  });
  const auto st = pool.stats();
  EXPECT_EQ(st.done, 28u);
  EXPECT_EQ(st.queued, 0u);
  EXPECT_EQ(st.busy, 0u);
}

TEST(WorkerPool, RunsPartsInParallel) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {2, 64, 0});
  loop.run([&]() -> asio::awaitable<void> {
    // Each part waits until both have started: only parallel execution ends.
    std::atomic<int> started{0};
    std::vector<std::function<bool()>> parts;
    for (int i = 0; i < 2; ++i) {
      parts.emplace_back([&started] {
        started.fetch_add(1);
        return static_cast<bool>(
            wait_until([&started] { return started.load() == 2; }, 10s, "both parts started"));
      });
    }
    auto r = co_await pool.run_all(std::move(parts));
    EXPECT_TRUE(r.results[0] && r.results[1]);
  });
}

TEST(WorkerPool, PropagatesTheFirstException) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {2, 64, 0});
  loop.run([&]() -> asio::awaitable<void> {
    std::vector<std::function<int()>> parts;
    parts.emplace_back([]() -> int { throw std::runtime_error("kernel failed"); });
    parts.emplace_back([] { return 1; });
    try {
      co_await pool.run_all(std::move(parts));
      ADD_FAILURE() << "no exception";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "kernel failed");
    }
    // The pool keeps working afterwards.
    auto ok = co_await pool.run([] { return 7; });
    EXPECT_EQ(ok.results[0], 7);
  });
  EXPECT_EQ(pool.stats().failed, 1u);
}

TEST(WorkerPool, RejectsPastTheQueueBoundWithoutTouchingWorkers) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {1, 2, 0});
  Gate gate;
  std::atomic<int> ran{0};
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    int finished = 0;
    // One part occupies the only worker, two wait: the queue is full.
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(
          ex,
          [&]() -> asio::awaitable<void> {
            co_await pool.run([&] {
              gate.opened.wait();
              return ++ran;
            });
            ++finished;
          },
          asio::detached);
      if (i == 0) {
        // Blocking the loop here is fine: the workers are other threads.
        const auto running =
            wait_for_pool([&] { return pool.stats(); }, "the first part running", some_worker_busy);
        EXPECT_TRUE(running);
        if (!running) co_return;
      }
    }
    asio::steady_timer t(ex, 20ms);
    co_await t.async_wait(asio::use_awaitable);
    EXPECT_EQ(pool.stats().queued, 2u);
    EXPECT_THROW(co_await pool.run([&] { return ++ran; }), QueueFull);
    EXPECT_EQ(pool.stats().rejected, 1u);
    // A two-part request cannot squeeze in either.
    std::vector<std::function<int()>> two(2, [] { return 0; });
    EXPECT_THROW(co_await pool.run_all(std::move(two)), QueueFull);
    gate.open();
    while (finished < 3) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  EXPECT_EQ(ran.load(), 3);  // the rejected ones never ran
  EXPECT_EQ(pool.stats().rejected, 2u);
}

// Urgent work goes ahead of CPU work already waiting, with its own bound.
TEST(WorkerPool, UrgentWorkGoesFirstWithItsOwnBound) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {1, 8, 0, 1});
  Gate gate;
  std::vector<std::string_view> order;  // appended by the only worker, read after it is idle
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    int finished = 0;
    // Parameters, not captures: a coroutine lambda's captures die with the
    // lambda object, its parameters live in the coroutine's frame.
    auto job = [&](std::string_view name, Lane lane) -> asio::awaitable<void> {
      co_await pool.run(
          [&order, &gate, name] {
            if (name == "blocker") gate.opened.wait();
            order.push_back(name);
            return 0;
          },
          {}, lane);
      ++finished;
    };
    auto submit = [&](std::string_view name, Lane lane) {
      asio::co_spawn(ex, job(name, lane), asio::detached);
    };
    submit("blocker", Lane::cpu);
    const auto running =
        wait_for_pool([&] { return pool.stats(); }, "the blocker running", some_worker_busy);
    EXPECT_TRUE(running);
    if (!running) co_return;
    submit("cpu", Lane::cpu);
    submit("urgent", Lane::urgent);
    asio::steady_timer t(ex, 20ms);
    co_await t.async_wait(asio::use_awaitable);
    EXPECT_EQ(pool.stats().queued, 1u);
    EXPECT_EQ(pool.stats().urgent_queued, 1u);
    EXPECT_THROW(co_await pool.run([] { return 0; }, {}, Lane::urgent), QueueFull);
    EXPECT_EQ(pool.stats().urgent_rejected, 1u);
    EXPECT_EQ(pool.stats().rejected, 0u);
    gate.open();
    while (finished < 3) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  EXPECT_EQ(order, (std::vector<std::string_view>{"blocker", "urgent", "cpu"}));
}

TEST(WorkerPool, CancelledWorkIsSkippedAndTheCoroutineResumesAtOnce) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {1, 16, 0});
  Gate gate;
  std::atomic<bool> skipped_part_ran{false};
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    bool blocker_done = false;
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          co_await pool.run([&] {
            gate.opened.wait();
            return 0;
          });
          blocker_done = true;
        },
        asio::detached);
    // Blocking the loop here is fine: the workers are other threads.
    const auto blocked =
        wait_for_pool([&] { return pool.stats(); }, "the blocking part running", some_worker_busy);
    EXPECT_TRUE(blocked);
    if (!blocked) co_return;

    // Queued behind the blocker; its client "goes away".
    asio::cancellation_signal gone;
    asio::steady_timer t(ex, 10ms);
    t.async_wait([&](boost::system::error_code) { gone.emit(asio::cancellation_type::terminal); });
    const auto start = std::chrono::steady_clock::now();
    try {
      co_await pool.run([&] { return skipped_part_ran = true; }, gone.slot());
      ADD_FAILURE() << "cancelled work completed";
    } catch (const WorkAbandoned& e) {
      EXPECT_EQ(e.code(), asio::error::operation_aborted);
      EXPECT_FALSE(e.started());
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);  // did not wait for the blocker
    gate.open();
    while (!blocker_done || pool.stats().queued != 0) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  EXPECT_FALSE(skipped_part_ran.load());
  EXPECT_EQ(pool.stats().skipped, 1u);
}

TEST(WorkerPool, ResultOfWorkCancelledWhileRunningIsDropped) {
  Loop loop;
  WorkerPool pool(loop.ioc.get_executor(), {1, 16, 0});
  Gate gate;
  loop.run([&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    asio::cancellation_signal gone;
    asio::steady_timer t(ex, 1ms);
    // The client leaves once the part is running (not before: then it would
    // be skipped, which is the other test).
    std::function<void(boost::system::error_code)> leave_when_running =
        [&](boost::system::error_code) {
          if (pool.stats().busy == 0) {
            t.expires_after(1ms);
            t.async_wait(leave_when_running);
            return;
          }
          gone.emit(asio::cancellation_type::terminal);
        };
    t.async_wait(leave_when_running);
    try {
      co_await pool.run(
          [&] {
            gate.opened.wait();
            return 1;
          },
          gone.slot());
      ADD_FAILURE() << "cancelled work completed";
    } catch (const WorkAbandoned& e) {
      EXPECT_TRUE(e.started());
    }
    gate.open();
    while (pool.stats().done == 0) {
      t.expires_after(1ms);
      co_await t.async_wait(asio::use_awaitable);
    }
  });
  loop.ioc.restart();
  loop.ioc.run_for(50ms);  // the late completion finds nobody and is dropped
  EXPECT_EQ(pool.stats().done, 1u);
}

TEST(WorkerPool, StopAbortsQueuedWorkAndJoins) {
  Loop loop;
  auto pool = std::make_unique<WorkerPool>(loop.ioc.get_executor(), WorkerPool::Options{1, 16, 0});
  Gate gate;
  int aborted = 0, completed = 0;
  std::atomic<int> ran{0};
  auto ex = loop.ioc.get_executor();
  for (int i = 0; i < 4; ++i) {
    asio::co_spawn(
        ex,
        [&]() -> asio::awaitable<void> {
          try {
            co_await pool->run([&] {
              gate.opened.wait();
              return ++ran;
            });
            ++completed;
          } catch (const boost::system::system_error&) {
            ++aborted;
          }
        },
        asio::detached);
  }
  // Let all four reach the pool: one running, three queued. Reading the
  // counters runs the loop a little, which is what moves them.
  const auto stats_after_a_turn = [&] {
    loop.ioc.run_for(1ms);
    return pool->stats();
  };
  ASSERT_TRUE(wait_for_pool(
      stats_after_a_turn, "one part running and three queued",
      [](const PoolStats& s) { return s.busy == 1 && s.queued == 3; }, 20s));
  std::thread opener([&] {
    std::this_thread::sleep_for(20ms);
    gate.open();
  });
  pool->stop();  // returns once the running part is done
  opener.join();
  loop.ioc.restart();
  loop.ioc.run_for(100ms);
  EXPECT_EQ(ran.load(), 1);
  EXPECT_EQ(completed, 1);
  EXPECT_EQ(aborted, 3);
  EXPECT_EQ(pool->stats().skipped, 3u);
  pool.reset();
}

}  // namespace
}  // namespace coroserve
