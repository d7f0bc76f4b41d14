// Graceful drain: stop accepting, readiness fails, requests in flight finish,
// idle connections close, run() returns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(Drain, InFlightRequestsFinishAndIdleOnesClose) {
  TestServer server;
  RawClient idle(server.port());
  idle.send(get_request("/plaintext"));
  ASSERT_TRUE(idle.read_response());

  RawClient busy(server.port());
  // A slow request, and a readiness probe pipelined behind it.
  busy.send(get_request("/io/sleep?ms=400") + get_request("/readyz"));
  std::this_thread::sleep_for(100ms);
  server.request_stop();

  EXPECT_TRUE(idle.closed_by_server(3s)) << "idle connection not closed by the drain";
  auto slow = busy.read_response(5s);
  ASSERT_TRUE(slow) << "in-flight request lost in the drain";
  EXPECT_EQ(slow->result(), http::status::ok);
  EXPECT_THAT(slow->body(), HasSubstr("slept_us"));
  auto ready = busy.read_response(5s);
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->result(), http::status::service_unavailable);
  EXPECT_THAT(ready->body(), HasSubstr("draining"));
  EXPECT_EQ((*ready)[http::field::connection], "close");
  EXPECT_TRUE(busy.closed_by_server(3s));

  server.join();                                                    // run() returned
  EXPECT_THROW(RawClient late(server.port()), std::runtime_error);  // no longer accepting
}

TEST(Drain, InFlightCpuRequestGetsItsAnswer) {
  TestServer server;
  RawClient c(server.port());
  c.send(get_request("/cpu/primes?n=300000000&split=1"));
  ASSERT_TRUE(wait_for_pool(server, "a worker busy with the request",
                            [](const PoolStats& s) { return s.busy >= 1; }));
  server.request_stop();
  auto r = c.read_response(60s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_THAT(r->body(), HasSubstr("\"primes\":16252325"));
  server.join();
}

TEST(Drain, TimeoutClosesWhatIsStillBusy) {
  Config cfg = test_config();
  cfg.drain_timeout = 200ms;
  TestServer server(cfg);
  RawClient c(server.port());
  c.send(get_request("/io/sleep?ms=10000"));
  std::this_thread::sleep_for(50ms);
  const auto start = std::chrono::steady_clock::now();
  server.stop_and_join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_TRUE(c.closed_by_server(2s));
}

TEST(Drain, IdleServerStopsAtOnce) {
  TestServer server;
  const auto start = std::chrono::steady_clock::now();
  server.stop_and_join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

}  // namespace
}  // namespace coroserve::test
