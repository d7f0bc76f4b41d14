// The bounded wait every test relies on: it returns as soon as its condition
// holds, and when the condition never holds it fails, saying what it waited for.
#include "tests/support/wait.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(WaitUntil, ReturnsOnceTheConditionHolds) {
  int checks = 0;
  const auto r = wait_until([&] { return ++checks == 3; }, 10s, "the third check");
  EXPECT_TRUE(r);
  EXPECT_EQ(checks, 3);
}

TEST(WaitUntil, FailsAtTheTimeoutSayingWhatItWaitedFor) {
  int checks = 0;
  const auto r = wait_until(
      [&] {
        ++checks;
        return false;
      },
      50ms, "a condition that never holds");
  EXPECT_FALSE(r);
  EXPECT_THAT(r.message(), HasSubstr("waited 50 ms for a condition that never holds"));
  EXPECT_GE(checks, 2);  // once at the start, once more at the deadline
}

}  // namespace
}  // namespace coroserve::test
