// A client that sends its last request and shuts down its side at once (as
// `printf ... | nc`, curl's --no-keepalive runs through a proxy, and many load
// generators' last requests do): the server answers every request that came
// before the FIN and then closes, whether the FIN came in the same segment as
// the requests, reached a connection whose read was waiting, or reached a
// parked one. A server that waits for another readiness event after a short
// read would keep these connections until the idle timeout instead.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Far below the idle timeout (60 s): an answer or a close this late is a hang.
constexpr auto kBound = 5s;

// The bytes and the FIN in one segment: corked, the data waits for the FIN.
void send_and_shut_down(RawClient& client, const std::string& bytes) {
  client.cork();
  client.send(bytes);
  ::shutdown(client.fd(), SHUT_WR);
}

::testing::AssertionResult answered_ok(RawClient& client) {
  auto res = client.read_response(kBound);
  if (!res) return ::testing::AssertionFailure() << "no answer within 5 s";
  if (res->result() != http::status::ok)
    return ::testing::AssertionFailure() << "answered " << res->result_int();
  return ::testing::AssertionSuccess();
}

// The last request before the FIN is answered, then the server closes.
void expect_answered_then_closed(RawClient& client) {
  EXPECT_TRUE(answered_ok(client));
  EXPECT_TRUE(client.closed_by_server(kBound)) << "the server kept the half-closed connection";
}

TEST(HalfClose, ARequestAndItsFinInOneSegmentAreAnsweredThenClosed) {
  TestServer server;
  RawClient client(server.port());
  send_and_shut_down(client, get_request("/plaintext"));
  expect_answered_then_closed(client);
}

TEST(HalfClose, PipelinedRequestsBeforeTheFinAreAllAnswered) {
  TestServer server;
  RawClient client(server.port());
  send_and_shut_down(
      client, get_request("/plaintext") + get_request("/healthz") + get_request("/plaintext"));
  for (int i = 0; i < 2; ++i) EXPECT_TRUE(answered_ok(client)) << "request " << i + 1;
  expect_answered_then_closed(client);
}

TEST(HalfClose, AFinWithTheNextRequestOfAKeptAliveConnectionIsSeen) {
  TestServer server;
  RawClient client(server.port());
  ASSERT_TRUE(plaintext_served(client, kBound));  // the server's next read now waits on the socket
  send_and_shut_down(client, get_request("/plaintext"));
  expect_answered_then_closed(client);
}

TEST(HalfClose, AFinWithTheRequestThatWakesAParkedConnectionIsSeen) {
  Config cfg = test_config();
  cfg.idle_park = 20ms;
  TestServer server(cfg);
  RawClient client(server.port());
  ASSERT_TRUE(plaintext_served(client, kBound));
  const auto parked = [&] { return connection_count(server.port(), "parked") == 1; };
  ASSERT_TRUE(wait_until(parked, kBound, "the connection to park"));
  send_and_shut_down(client, get_request("/plaintext"));
  expect_answered_then_closed(client);
}

TEST(HalfClose, AFinAloneClosesAnIdleConnection) {
  TestServer server;
  RawClient client(server.port());
  ASSERT_TRUE(plaintext_served(client, kBound));
  ::shutdown(client.fd(), SHUT_WR);
  EXPECT_TRUE(client.closed_by_server(kBound)) << "the server kept the half-closed connection";
}

}  // namespace
}  // namespace coroserve::test
