#include "server/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>

namespace coroserve {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '/' || c == '+' || c == '=' || c == '-';
  });
}

std::string make_request_id() {
  static const std::uint32_t prefix = std::random_device{}();
  thread_local std::uint32_t counter = 0;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%08x%08x", prefix, ++counter);
  return std::string(buf, 16);
}

}  // namespace coroserve
