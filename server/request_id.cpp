#include "server/request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace coroserve {

bool is_valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '/' || c == '+' || c == '=' || c == '-';
  });
}

void make_request_id(std::string& id) {
  static const std::uint32_t prefix = std::random_device{}();
  thread_local std::uint32_t counter = 0;
  // 16 lower-case hex digits: the process's random prefix, then a counter.
  // Formatted by hand: snprintf cost as much as the rest of the request line.
  const std::uint64_t value = (std::uint64_t{prefix} << 32) | ++counter;
  id.assign(16, '0');
  for (int i = 15, shift = 0; i >= 0; --i, shift += 4) {
    id[static_cast<std::size_t>(i)] = "0123456789abcdef"[(value >> shift) & 0xf];
  }
}

}  // namespace coroserve
