// Faults: clients that vanish mid-request, mid-response, or while their CPU
// task waits in the queue or runs. No crash, no leak (the ASan build runs
// these too), queued work is skipped, running work's result is dropped, and
// the pool ends idle.
#include <sys/socket.h>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;

// Closes with a reset instead of a FIN (SO_LINGER 0), the rudest way to go.
void reset(RawClient& c) {
  linger l{1, 0};
  ::setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  c.close();
}

TEST(Faults, ClientsVanishingMidRequestOrMidResponseLeaveTheServerServing) {
  TestServer server;
  const std::string big_body(1 << 20, 'q');
  const std::vector<std::string> partials = {
      "G",
      "GET /plaintext HTTP/1.1\r\nHo",
      "GET /plaintext HTTP/1.1\r\nHost: t\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nabc",
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nab",
      "POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 9\r\n\r\n",
  };
  for (int round = 0; round < 20; ++round) {
    for (const auto& p : partials) {
      RawClient c(server.port());
      c.send(p);
      if (round % 2) {
        reset(c);
      } else {
        c.close();
      }
    }
    // Mid-response: a 1 MiB echo, a few bytes read, then gone.
    RawClient c(server.port());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(big_body.size()) +
           "\r\n\r\n" + big_body);
    char buf[512];
    (void)::recv(c.fd(), buf, sizeof buf, 0);
    if (round % 2) {
      reset(c);
    } else {
      c.close();
    }
    // Mid-pipeline: three requests, gone before reading any answer.
    RawClient p(server.port());
    p.send(get_request("/io/sleep?ms=20") + get_request("/plaintext") +
           get_request("/io/fanout?n=10&ms=20"));
    reset(p);
  }
  expect_serving(server.port());
}

TEST(Faults, ClientVanishingWhileItsTaskRunsDropsTheResult) {
  Config cfg = test_config();
  cfg.workers = 1;
  TestServer server(cfg);
  {
    RawClient c(server.port());
    ASSERT_TRUE(occupy_a_worker(server, c));
    reset(c);
  }
  // The loop is free while the task runs: I/O is answered while the worker
  // is still busy with it (a blocked loop would answer only after it).
  expect_serving(server.port());
  EXPECT_EQ(server.server().pool_stats().busy, 1u);
  EXPECT_EQ(server.server().pool_stats().done, 0u);
  // The task runs to its end (a running part cannot be stopped), its result
  // is dropped, and the pool is idle again.
  ASSERT_TRUE(wait_for_pool(server, "the pool idle after the dropped task", pool_idle, 30s));
  const auto s = server.server().pool_stats();
  EXPECT_EQ(s.done, 1u);
  EXPECT_EQ(s.failed, 0u);
  expect_serving(server.port());
}

TEST(Faults, ClientsVanishingWhileTheirTasksWaitAreSkipped) {
  Config cfg = test_config();
  cfg.workers = 1;
  TestServer server(cfg);
  RawClient running(server.port());
  ASSERT_TRUE(occupy_a_worker(server, running));
  constexpr unsigned kLeavers = 5;
  {
    std::vector<std::unique_ptr<RawClient>> leavers;
    for (unsigned i = 0; i < kLeavers; ++i) {
      leavers.push_back(std::make_unique<RawClient>(server.port()));
      leavers.back()->send(get_request(kHeavyCpuTarget));
    }
    ASSERT_TRUE(wait_for_pool(server, "the leavers' requests in the queue",
                              [](const PoolStats& s) { return s.queued == kLeavers; }));
    for (unsigned i = 0; i < kLeavers; ++i) {
      if (i % 2) {
        reset(*leavers[i]);
      } else {
        leavers[i]->close();
      }
    }
  }
  auto r = running.read_response(60s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200u);
  ASSERT_TRUE(wait_for_pool(server, "the leavers' tasks skipped",
                            [](const PoolStats& s) { return s.skipped >= kLeavers; }));
  const auto s = server.server().pool_stats();
  EXPECT_EQ(s.skipped, kLeavers);
  EXPECT_EQ(s.done, 1u);  // only the client that stayed had its work computed
  EXPECT_EQ(s.queued, 0u);
  expect_serving(server.port());
}

// The request and the client's FIN come in one segment while the only
// worker is busy: the client is already gone when the request is offloaded,
// and its work is skipped all the same.
TEST(Faults, AClientGoneBeforeItsRequestIsOffloadedIsSkipped) {
  Config cfg = test_config();
  cfg.workers = 1;
  TestServer server(cfg);
  RawClient running(server.port());
  ASSERT_TRUE(occupy_a_worker(server, running));
  {
    RawClient leaver(server.port());
    leaver.cork();  // the request waits for the FIN and leaves with it
    leaver.send(get_request(kHeavyCpuTarget));
    leaver.close();
  }
  auto r = running.read_response(60s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200u);
  ASSERT_TRUE(wait_for_pool(
      server, "the leaver's task skipped",
      [](const PoolStats& s) { return s.skipped == 1 && pool_idle(s); }, 30s));
  EXPECT_EQ(server.server().pool_stats().done, 1u);
}

// Many clients leaving at random moments around their CPU requests: the
// bookkeeping ends consistent and the pool idle.
TEST(Faults, ChurnOfVanishingCpuClientsEndsWithAnIdlePool) {
  TestServer server;
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> wait_us(0, 30'000);
  for (int i = 0; i < 60; ++i) {
    RawClient c(server.port());
    c.send(get_request("/cpu/primes?n=30000000&split=4"));
    std::this_thread::sleep_for(std::chrono::microseconds(wait_us(rng)));
    if (i % 3 == 0) {
      reset(c);
    } else {
      c.close();
    }
  }
  ASSERT_TRUE(wait_for_pool(server, "the pool idle after the churn", pool_idle, 60s));
  const auto s = server.server().pool_stats();
  EXPECT_EQ(s.failed, 0u);
  EXPECT_GT(s.done + s.skipped, 0u);
  expect_serving(server.port());
}

}  // namespace
}  // namespace coroserve::test
