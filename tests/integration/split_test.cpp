// The split itself: I/O stays prompt while the pool is saturated with CPU
// work, and visibly stalls when CPU work runs on the loop. Admission is
// bounded (503). Timings are asserted as orders of magnitude only: the
// machine is shared and noisy. (What happens to work whose client left is in
// hostile_faults_test.cpp.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

// How long GET /io/sleep?ms=50 takes, start to end, on a fresh connection.
double timed_sleep_50(std::uint16_t port) {
  const auto start = Clock::now();
  auto r = http_get(port, "/io/sleep?ms=50");
  EXPECT_EQ(r.result(), http::status::ok);
  return ms_since(start);
}

TEST(Split, IoStaysPromptWhileThePoolIsSaturated) {
  TestServer server;  // 2 workers
  std::vector<std::unique_ptr<RawClient>> cpu;
  for (int i = 0; i < 4; ++i) {  // two running, two queued
    cpu.push_back(std::make_unique<RawClient>(server.port()));
    cpu.back()->send(get_request(kHeavyCpuTarget));
  }
  ASSERT_TRUE(wait_for_pool(server, "both workers busy with the CPU requests",
                            [](const PoolStats& s) { return s.busy >= 2; }));
  const double with_pool = timed_sleep_50(server.port());
  EXPECT_LT(with_pool, 500.0) << "the loop was not free while workers computed";
  EXPECT_EQ(server.server().pool_stats().busy, 2u);  // still computing meanwhile
  for (auto& c : cpu) {
    auto r = c->read_response(120s);
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body()).at("primes").as_int64(), 74726528);
  }
}

TEST(Split, CpuOnTheLoopStallsEveryOtherConnection) {
  TestServer server;
  // Measure how long the heavy request computes, so the stall can be compared.
  const auto t0 = Clock::now();
  // Lighter than kHeavyCpuTarget: it runs twice, on the loop, and sanitizer
  // builds are 10-30x slower.
  const std::string loop_work = "/cpu/primes?n=300000000&split=1&where=loop";
  auto ref = http_get(server.port(), loop_work);
  const double compute_ms = ms_since(t0);
  ASSERT_EQ(ref.result(), http::status::ok);

  RawClient blocker(server.port());
  blocker.send(get_request(loop_work));
  std::this_thread::sleep_for(20ms);  // let the loop pick it up
  const double stalled = timed_sleep_50(server.port());
  EXPECT_GT(stalled, 50.0 + compute_ms * 0.3)
      << "a 50 ms sleep should have waited behind " << compute_ms << " ms of loop CPU";
  ASSERT_TRUE(blocker.read_response(120s));
}

TEST(Split, FullQueueGives503WithRetryAfterAtOnce) {
  Config cfg = test_config();
  cfg.workers = 1;
  cfg.queue = 1;
  TestServer server(cfg);
  RawClient running(server.port()), waiting(server.port());
  running.send(get_request(kHeavyCpuTarget));
  ASSERT_TRUE(wait_for_pool(server, "the only worker busy with the first request",
                            [](const PoolStats& s) { return s.busy >= 1; }));
  waiting.send(get_request(kHeavyCpuTarget));
  ASSERT_TRUE(wait_for_pool(server, "the second request in the queue",
                            [](const PoolStats& s) { return s.queued >= 1; }));

  const auto start = Clock::now();
  auto r = http_get(server.port(), "/cpu/primes?n=100");
  EXPECT_EQ(r.result(), http::status::service_unavailable);
  EXPECT_EQ(r[http::field::retry_after], "1");
  EXPECT_EQ(json::parse(r.body()).at("error").as_string(), "overloaded");
  EXPECT_LT(ms_since(start), 5000.0);  // answered without waiting for a worker
  EXPECT_EQ(server.server().pool_stats().rejected, 1u);
  // I/O endpoints are not affected by a full pool.
  EXPECT_EQ(http_get(server.port(), "/healthz").result(), http::status::ok);
}

}  // namespace
}  // namespace coroserve::test
