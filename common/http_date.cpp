#include "common/http_date.hpp"

#include <time.h>

#include <ctime>

namespace coroserve {

std::string format_http_date(std::chrono::system_clock::time_point when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

// The header has a resolution of a second, so the coarse clock (the time of
// the kernel's last tick) is precise enough, and cheaper to read per response.
std::string_view HttpDateCache::now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  if (ts.tv_sec != second_) {
    second_ = ts.tv_sec;
    value_ = format_http_date(std::chrono::system_clock::from_time_t(ts.tv_sec));
  }
  return value_;
}

}  // namespace coroserve
