#include "tests/support/tls_checks.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {

std::int64_t handshakes(TestServer& server, std::string_view result) {
  const auto stats = stats_json(server.server().admin_port());
  return stats.at("tls").at("handshakes").at(result).to_number<std::int64_t>();
}

::testing::AssertionResult handshakes_reach(TestServer& server, std::string_view result,
                                            std::int64_t want, std::chrono::milliseconds timeout) {
  std::int64_t seen = -1;
  auto reached = wait_until(
      [&] {
        seen = handshakes(server, result);
        return seen >= want;
      },
      timeout, std::to_string(want) + " handshakes ending " + std::string(result));
  if (!reached) reached << " (last seen " << seen << ")";
  return reached;
}

void expect_serving_https(std::uint16_t port) {
  try {
    RawClient c(port, trusting_client());
    EXPECT_TRUE(plaintext_served(c)) << "over TLS, on a new connection";
  } catch (const std::exception& e) {
    ADD_FAILURE() << "a new TLS client: " << e.what();
  }
}

std::string client_hello(const TlsClientOptions& options) {
  TlsClientOptions o = options;
  o.ca_file.clear();
  // A socket pair stands in for the network; only the first flight is taken.
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair");
  o.timeout = std::chrono::milliseconds(1);
  try {
    TlsChannel never_finishes(fds[0], o);
  } catch (const std::exception&) {
    // no server answers: expected
  }
  std::string hello(64 * 1024, '\0');
  const auto n = ::recv(fds[1], hello.data(), hello.size(), MSG_DONTWAIT);
  ::close(fds[0]);
  ::close(fds[1]);
  hello.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return hello;
}

}  // namespace coroserve::test
