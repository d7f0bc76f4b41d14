#include "tests/support/wait.hpp"

#include <algorithm>
#include <string>
#include <thread>

namespace coroserve::test {

namespace {

using std::chrono::milliseconds;

// Short first pauses catch a state that comes at once; the cap keeps the
// cost of a condition that makes a request (GET /stats) small.
constexpr milliseconds kFirstPause{1};
constexpr milliseconds kLongestPause{20};

std::string describe(milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

::testing::AssertionResult wait_until(const std::function<bool()>& condition, milliseconds timeout,
                                      std::string_view what) {
  const auto deadline = Clock::now() + timeout;
  Clock::duration pause = kFirstPause;
  for (;;) {
    if (condition()) return ::testing::AssertionSuccess();
    const auto now = Clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(std::min(pause, deadline - now));
    pause = std::min<Clock::duration>(pause * 2, kLongestPause);
  }
  return ::testing::AssertionFailure() << "waited " << describe(timeout) << " for " << what;
}

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

}  // namespace coroserve::test
