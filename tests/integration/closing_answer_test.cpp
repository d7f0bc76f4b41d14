// The last answer on a connection that is not kept alive (Connection: close,
// HTTP/1.0). With nothing more of the client's in flight the server closes
// at once instead of lingering, so a client that still sends afterwards is
// reset. Bytes already sent behind the closing request make the server
// linger instead: its close then ends in a FIN, and no reset can overtake
// the answer.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <string>
#include <thread>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// The client socket's TCP state: TCP_CLOSE once the server has reset it;
// TCP_CLOSE_WAIT while the server's FIN is in and the client has not closed.
int tcp_state(const RawClient& c) {
  tcp_info info{};
  socklen_t len = sizeof info;
  ::getsockopt(c.fd(), IPPROTO_TCP, TCP_INFO, &info, &len);
  return info.tcpi_state;
}

void expect_answer_then_fin(RawClient& c) {
  auto r = c.read_response();
  ASSERT_TRUE(r) << "no answer";
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ((*r)[http::field::connection], "close");
  ASSERT_TRUE(c.closed_by_server()) << "the server kept the connection";
}

TEST(ClosingAnswer, WithNothingMoreInFlightTheServerClosesAtOnce) {
  TestServer server;
  RawClient c(server.port());
  c.send(get_request("/plaintext", "Connection: close\r\n"));
  expect_answer_then_fin(c);
  // A lingering server would read these bytes and drop them; a socket
  // already closed answers them with a reset.
  c.send("x");
  EXPECT_TRUE(wait_until([&] { return tcp_state(c) == TCP_CLOSE; }, 5s,
                         "the reset of bytes sent to a connection the server has closed"))
      << "TCP state " << tcp_state(c);
}

TEST(ClosingAnswer, ARequestSentBehindTheClosingOneMakesTheServerLinger) {
  TestServer server;
  RawClient c(server.port());
  c.send(get_request("/io/sleep?ms=300", "Connection: close\r\n"));
  // Sent while the first is handled: it waits on the socket, unread, when
  // the answer goes out.
  std::this_thread::sleep_for(100ms);
  c.send(get_request("/plaintext"));
  expect_answer_then_fin(c);
  EXPECT_EQ(tcp_state(c), TCP_CLOSE_WAIT) << "reset instead of a lingering close";
}

}  // namespace
}  // namespace coroserve::test
