#include "server/access_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <string>

namespace coroserve {

namespace {

bool needs_escape(unsigned char c) {
  return c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
}

// The target as it came may hold a quote, a backslash or bytes past ASCII
// (only control bytes are refused before this): escaped as nginx does
// (\", \\, \xHH), so that a line stays one well-quoted, printable line.
// Most targets need nothing and are not copied.
std::string_view escaped(std::string_view s, std::string& storage) {
  if (std::none_of(s.begin(), s.end(), [](char c) { return needs_escape(c); })) return s;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      storage += '\\';
      storage += ch;
    } else if (needs_escape(c)) {
      storage += "\\x";
      storage += kHex[c >> 4];
      storage += kHex[c & 0xf];
    } else {
      storage += ch;
    }
  }
  return storage;
}

}  // namespace

void log_access(std::string_view request_id, std::uint64_t conn, const Request* head,
                const Response& res, std::chrono::nanoseconds elapsed, const RequestNotes& notes) {
  const std::string_view method = head ? head->method_string() : "-";
  std::string storage;
  const std::string_view target = head ? escaped(head->target(), storage) : "-";
  using std::chrono::duration_cast;
  using us = std::chrono::microseconds;
  spdlog::info(
      "access id={} conn={} method={} target=\"{}\" status={} bytes={} duration_us={} "
      "where={} queue_wait_us={} compute_us={}",
      request_id, conn, method, target, res.result_int(), res.body().size(),
      duration_cast<us>(elapsed).count(), notes.where.empty() ? "-" : notes.where,
      duration_cast<us>(notes.queue_wait).count(), duration_cast<us>(notes.compute).count());
}

}  // namespace coroserve
