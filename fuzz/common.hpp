#pragma once
// Shared by the fuzz targets: the checks that turn a silent misbehaviour into
// a crash libFuzzer can record.
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "server/http_responses.hpp"

namespace coroserve::fuzz {

// Aborts with a message: libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline bool ascii_only(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// An error answer's body is the house's JSON shape with the answer's status.
inline void check_error_body(const Response& res) {
  const auto status = res.result_int();
  if (!ascii_only(res.body())) return;
  boost::system::error_code ec;
  auto v = boost::json::parse(res.body(), ec);
  if (ec || !v.is_object()) fail("error body is not a JSON object");
  const auto& o = v.as_object();
  if (!o.contains("status") || o.at("status").as_int64() != static_cast<int>(status)) {
    fail("error body has the wrong status");
  }
  if (!o.contains("detail") || !o.contains("error")) fail("error body lacks detail or error");
}

// Every error the server sends is the house's JSON shape, whatever bytes the
// client put into the detail. Details that hold bytes >= 0x80 are skipped:
// they are known to produce invalid UTF-8 (reported, see SECURITY.md), and
// checking them would stop every run at that one finding.
inline void check_error_response(http::status status, std::string_view error,
                                 std::string_view detail) {
  check_error_body(error_response(status, error, detail));
}

}  // namespace coroserve::fuzz
