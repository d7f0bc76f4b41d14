// The Date header: its format, and the per-loop cache that formats it once a
// second.
#include "common/http_date.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

namespace coroserve {
namespace {

using std::chrono::system_clock;

TEST(HttpDate, FormatsAnImfFixdate) {
  // RFC 9110's own example.
  EXPECT_EQ(format_http_date(system_clock::from_time_t(784111777)),
            "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_http_date(system_clock::from_time_t(0)), "Thu, 01 Jan 1970 00:00:00 GMT");
}

// The cache reads a clock that may be a kernel tick behind, so its answer
// is one of the seconds from just before the call to just after it.
TEST(HttpDate, TheCacheGivesTheCurrentSecond) {
  HttpDateCache cache;
  const auto before =
      std::chrono::floor<std::chrono::seconds>(system_clock::now()) - std::chrono::seconds(1);
  const std::string value(cache.now());
  const auto after = system_clock::now();
  std::set<std::string> allowed;
  for (auto t = before; t <= after; t += std::chrono::seconds(1)) {
    allowed.insert(format_http_date(t));
  }
  EXPECT_TRUE(allowed.count(value)) << value;
  EXPECT_EQ(std::string(cache.now()).size(), value.size());
}

}  // namespace
}  // namespace coroserve
