#include "tests/support/http.hpp"

#include <stdexcept>
#include <string>

namespace coroserve::test {

TestResponse http_get(std::uint16_t port, std::string_view target,
                      std::chrono::milliseconds timeout) {
  RawClient c(port);
  c.send(get_request(target, "Connection: close\r\n"));
  auto r = c.read_response(timeout);
  if (!r) throw std::runtime_error("no response to GET " + std::string(target));
  return std::move(*r);
}

::testing::AssertionResult plaintext_served(RawClient& c, std::chrono::milliseconds timeout) {
  c.send(get_request("/plaintext"));
  const auto r = c.read_response(timeout);
  if (!r) {
    return ::testing::AssertionFailure()
           << "no answer to GET /plaintext within " << timeout.count() << " ms";
  }
  if (r->result_int() != 200 || r->body() != "Hello, World!") {
    return ::testing::AssertionFailure()
           << "GET /plaintext answered " << r->result_int() << ": " << r->body().substr(0, 200);
  }
  return ::testing::AssertionSuccess();
}

void expect_serving(std::uint16_t port) {
  RawClient c(port);
  EXPECT_TRUE(plaintext_served(c)) << "on a new connection";
}

}  // namespace coroserve::test
