// The split itself: I/O stays prompt while the pool is saturated with CPU
// work, and visibly stalls when CPU work runs on the loop. Admission is
// bounded (503). What is asserted is the order of events (which answer
// came while what still ran), never a duration: the machine is shared and
// noisy. (What happens to work whose client left is in
// hostile_faults_test.cpp.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <poll.h>

#include <boost/json.hpp>

#include <memory>
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

// Whether the server's bytes wait on `c` within `timeout`.
bool readable(const RawClient& c, std::chrono::milliseconds timeout) {
  pollfd p{c.fd(), POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
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
  EXPECT_EQ(http_get(server.port(), "/io/sleep?ms=50").result(), http::status::ok);
  // The sleep was answered while both workers still computed: the loop did
  // not wait for them.
  EXPECT_EQ(server.server().pool_stats().busy, 2u);
  EXPECT_EQ(server.server().pool_stats().done, 0u);
  for (auto& c : cpu) {
    auto r = c->read_response(120s);
    ASSERT_TRUE(r);
    EXPECT_EQ(json::parse(r->body()).at("primes").as_int64(), 74726528);
  }
}

TEST(Split, CpuOnTheLoopStallsEveryOtherConnection) {
  TestServer server;
  RawClient blocker(server.port()), sleeper(server.port());
  // Lighter than kHeavyCpuTarget: sanitizer builds are 10-30x slower.
  blocker.send(get_request("/cpu/primes?n=300000000&split=1&where=loop"));
  sleeper.send(get_request("/io/sleep?ms=50"));
  // A 50 ms wait beside seconds of CPU: were the loop free, its answer would
  // come first. Loopback delivers bytes in the order they were sent, so when
  // the sleep's answer arrives, the blocker's must be there already.
  ASSERT_TRUE(readable(sleeper, 120s)) << "no answer to the sleep";
  EXPECT_TRUE(readable(blocker, 0ms)) << "the sleep was answered while the loop computed";
  auto sleep = sleeper.read_response();
  ASSERT_TRUE(sleep);
  EXPECT_EQ(sleep->result(), http::status::ok);
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

  auto r = http_get(server.port(), "/cpu/primes?n=100");
  EXPECT_EQ(r.result(), http::status::service_unavailable);
  EXPECT_EQ(r[http::field::retry_after], "1");
  EXPECT_EQ(json::parse(r.body()).at("error").as_string(), "overloaded");
  // Answered while the worker still ran the first request and the second
  // still waited: the 503 did not wait for a worker.
  const auto pool = server.server().pool_stats();
  EXPECT_EQ(pool.rejected, 1u);
  EXPECT_EQ(pool.busy, 1u);
  EXPECT_EQ(pool.queued, 1u);
  EXPECT_EQ(pool.done, 0u);
  // I/O endpoints are not affected by a full pool.
  EXPECT_EQ(http_get(server.port(), "/healthz").result(), http::status::ok);
}

}  // namespace
}  // namespace coroserve::test
