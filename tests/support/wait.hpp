#pragma once
// Bounded waits. A test that needs the server to reach a state polls for it
// with wait_until: if the state never comes, the test fails with a message
// that names what it waited for, instead of hanging until CTest kills the
// whole binary and reports nothing useful.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string_view>

namespace coroserve::test {

using Clock = std::chrono::steady_clock;

// Polls `condition` (at once, then at growing intervals of at most 20 ms)
// until it holds or `timeout` has passed. On timeout the result is a failure
// reading "waited <timeout> for <what>". ASSERT_TRUE(wait_until(...)) stops
// the test there, and what is streamed into it (`<< "busy " << n`) is added
// to the message only on failure, so it can show the state seen at the end.
// Where ASSERT cannot return (a coroutine, a helper thread), use EXPECT_TRUE
// and return by hand on failure. Exceptions from `condition` propagate.
[[nodiscard]] ::testing::AssertionResult wait_until(const std::function<bool()>& condition,
                                                    std::chrono::milliseconds timeout,
                                                    std::string_view what);

// Milliseconds from `start` to now, for the figures tests print.
double ms_since(Clock::time_point start);

}  // namespace coroserve::test
