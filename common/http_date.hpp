#pragma once
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>

namespace coroserve {

// Formats an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110 §5.6.7).
std::string format_http_date(std::chrono::system_clock::time_point when);

// The Date header changes once a second, so a loop formats it once a second
// instead of once per response. Not thread-safe: one per thread.
class HttpDateCache {
 public:
  std::string_view now();

 private:
  std::time_t second_ = -1;
  std::string value_;
};

}  // namespace coroserve
