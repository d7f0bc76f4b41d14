// Idle keep-alive connections park: past --idle-park-ms the session ends and
// gives back its buffer and coroutine frames, so an idle connection holds
// little memory; the connection stays open, and its next request starts a
// new session. Idle timeout and drain still end a parked connection.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

// Waits until /stats reports `want` parked connections (the sweep runs
// every 250 ms or less); /stats itself comes over a fresh connection.
::testing::AssertionResult parked_reaches(std::uint16_t port, std::int64_t want,
                                          std::chrono::milliseconds timeout = 5s) {
  std::int64_t seen = -1;
  const auto parked = [&] {
    seen = connection_count(port, "parked");
    return seen == want;
  };
  auto reached = wait_until(parked, timeout, std::to_string(want) + " parked connections");
  if (!reached) reached << " (last seen " << seen << ")";
  return reached;
}

Config park_config(std::chrono::milliseconds park_after) {
  Config cfg = test_config();
  cfg.idle_park = park_after;
  return cfg;
}

TEST(IdlePark, AnIdleConnectionParksAndItsNextRequestIsServed) {
  TestServer server(park_config(50ms));
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 5; ++i) {
    clients.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(plaintext_served(*clients.back()));
  }
  ASSERT_TRUE(parked_reaches(server.port(), 5)) << "idle connections did not park";
  EXPECT_GE(connection_count(server.port(), "open"), 6);  // 5 parked + the /stats one

  // Each parked connection answers again, several times, pipelined too.
  for (auto& c : clients) {
    ASSERT_TRUE(plaintext_served(*c));
    c->send(get_request("/plaintext") + get_request("/healthz") + get_request("/nope"));
    EXPECT_EQ(c->read_response().value().result(), http::status::ok);
    EXPECT_EQ(c->read_response().value().result(), http::status::ok);
    EXPECT_EQ(c->read_response().value().result(), http::status::not_found);
  }
  // ... and parks again once idle.
  EXPECT_TRUE(parked_reaches(server.port(), 5));
}

// Bytes that arrive in pieces across the wake-up still form one request.
TEST(IdlePark, ARequestArrivingInPiecesWakesAParkedConnection) {
  TestServer server(park_config(50ms));
  RawClient c(server.port());
  ASSERT_TRUE(plaintext_served(c));
  ASSERT_TRUE(parked_reaches(server.port(), 1));
  c.send("GET /plain");
  std::this_thread::sleep_for(100ms);
  c.send("text HTTP/1.1\r\nHost: x\r\n");
  std::this_thread::sleep_for(100ms);
  c.send("\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "Hello, World!");
}

TEST(IdlePark, TheIdleTimeoutClosesAParkedConnection) {
  Config cfg = park_config(20ms);
  cfg.idle_timeout = 600ms;
  TestServer server(cfg);
  RawClient c(server.port());
  ASSERT_TRUE(plaintext_served(c));
  ASSERT_TRUE(parked_reaches(server.port(), 1, 500ms));
  EXPECT_TRUE(c.closed_by_server(3s));
  EXPECT_TRUE(parked_reaches(server.port(), 0));
}

TEST(IdlePark, TheDrainClosesParkedConnections) {
  TestServer server(park_config(20ms));
  RawClient a(server.port()), b(server.port());
  ASSERT_TRUE(plaintext_served(a));
  ASSERT_TRUE(plaintext_served(b));
  ASSERT_TRUE(parked_reaches(server.port(), 2));
  const auto start = std::chrono::steady_clock::now();
  server.request_stop();
  EXPECT_TRUE(a.closed_by_server(3s));
  EXPECT_TRUE(b.closed_by_server(3s));
  server.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(IdlePark, ZeroTurnsParkingOff) {
  TestServer server(park_config(0ms));
  RawClient c(server.port());
  ASSERT_TRUE(plaintext_served(c));
  std::this_thread::sleep_for(600ms);  // more than two sweeps
  EXPECT_EQ(connection_count(server.port(), "parked"), 0);
  EXPECT_TRUE(plaintext_served(c));
}

TEST(IdlePark, ParkedConnectionsAreCountedInMetrics) {
  TestServer server(park_config(20ms));
  RawClient c(server.port());
  ASSERT_TRUE(plaintext_served(c));
  ASSERT_TRUE(parked_reaches(server.port(), 1));
  EXPECT_THAT(metrics_text(server.port()), HasSubstr("\ncoroserve_connections_parked 1\n"));
}

}  // namespace
}  // namespace coroserve::test
