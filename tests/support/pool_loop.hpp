#pragma once
// What tests of the worker pool on its own need: a loop to run a test's
// coroutine on, and a gate that holds a worker until the test opens it.
#include <gtest/gtest.h>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <future>
#include <utility>

namespace coroserve::test {

// Runs `body` as a coroutine on a fresh loop until it finishes, for at most
// 30 s: that bounds the waits inside the body that need the loop to run
// (timers), and a body still unfinished then fails the test.
struct Loop {
  boost::asio::io_context ioc;
  std::exception_ptr error;
  bool finished = false;
  template <class F>
  void run(F body) {
    boost::asio::co_spawn(ioc, body(), [this](std::exception_ptr e) {
      error = e;
      finished = true;
    });
    ioc.run_for(std::chrono::seconds(30));
    if (error) std::rethrow_exception(error);
    EXPECT_TRUE(finished) << "the test's coroutine did not finish within 30 s";
  }
};

// A part that blocks its worker until the test opens the gate. A gate still
// shut when the test ends (it failed early) opens then, so that the workers
// finish and the pool, declared before it, can join.
struct Gate {
  std::promise<void> open_promise;
  std::shared_future<void> opened = open_promise.get_future().share();
  bool is_open = false;
  void open() {
    if (!std::exchange(is_open, true)) open_promise.set_value();
  }
  ~Gate() { open(); }
};

}  // namespace coroserve::test
