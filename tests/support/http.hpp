#pragma once
// One-shot requests and the checks tests make again and again on answers.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string_view>

#include "tests/support/raw_client.hpp"

namespace coroserve::test {

// One GET on a fresh connection, "Connection: close". Throws when no answer
// comes. The timeout is generous: CPU requests run 10-30x slower under the
// sanitizers.
TestResponse http_get(std::uint16_t port, std::string_view target,
                      std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Sends GET /plaintext on `c` and reads the answer: success when it is
// 200 "Hello, World!", else a failure that says what came instead.
[[nodiscard]] ::testing::AssertionResult plaintext_served(
    RawClient& c, std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The server still serves: GET /plaintext on a new connection is answered
// right. A failure here does not stop the test.
void expect_serving(std::uint16_t port);

}  // namespace coroserve::test
