// The listening socket: what every accepted connection inherits from it.
#include "server/listener.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coroserve {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Nagle's algorithm would hold a small answer until the client ACKs the
// last one; the server turns it off once, on the listener, and relies on
// the kernel to copy that to each accepted socket.
void expect_accepted_socket_has_nagle_off(const std::string& host) {
  asio::io_context ioc;
  tcp::acceptor listener = open_listener(ioc, host, 0);
  tcp::socket client(ioc);
  client.connect(listener.local_endpoint());
  tcp::socket accepted = listener.accept();
  tcp::no_delay option;
  accepted.get_option(option);
  EXPECT_TRUE(option.value()) << "on " << host;
}

TEST(Listener, AcceptedSocketsHaveNagleOff) {
  expect_accepted_socket_has_nagle_off("127.0.0.1");
}

TEST(Listener, AcceptedIpv6SocketsHaveNagleOff) {
  try {
    expect_accepted_socket_has_nagle_off("::1");
  } catch (const boost::system::system_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
}

}  // namespace
}  // namespace coroserve
