#pragma once
// What TLS tests check again and again: a handshake's outcome counted in
// /stats (read over --admin-port), and HTTPS still served to a new client.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tests/support/test_server.hpp"
#include "tests/support/tls_client.hpp"

namespace coroserve::test {

// /stats' tls.handshakes.<result> ("ok", "failed", "timeout", ...), read on
// --admin-port.
std::int64_t handshakes(TestServer& server, std::string_view result);

// Waits until handshakes(server, result) >= want.
[[nodiscard]] ::testing::AssertionResult handshakes_reach(
    TestServer& server, std::string_view result, std::int64_t want,
    std::chrono::milliseconds timeout = std::chrono::seconds(20));

// A new client that trusts the test CA gets GET /plaintext answered over
// TLS. A failure here does not stop the test.
void expect_serving_https(std::uint16_t port);

// The first flight of a TLS client with these options, as the bytes it
// sends (made with a client SSL over memory BIOs): a ClientHello.
std::string client_hello(const TlsClientOptions& options);

}  // namespace coroserve::test
