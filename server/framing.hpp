#pragma once
// Checks a parsed request head before any body byte is read.
//
// Beast 1.81's parser lets several request-smuggling forms through (an
// unknown transfer coding alone, "chunked, gzip", Transfer-Encoding on
// HTTP/1.0, obs-fold lines, a missing Host). RFC 9112 §6 says a server must
// answer those with 400 (or 501 for a coding it does not know) and close, so
// we check them here ourselves, after async_read_header and before the body.
#include <optional>
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace coroserve {

struct FramingLimits {
  std::size_t max_url_bytes = 4096;
};

// What is wrong with a head; the connection must close after answering.
struct FramingError {
  http::status status;
  std::string error;
  std::string detail;
};

// The request target split into its encoded path and query, from origin-form
// ("/p?q") or absolute-form ("http://host/p?q"). `asterisk` is set for "*".
// The views point into the target.
struct Target {
  std::string_view path;
  std::string_view query;
  bool asterisk = false;
};

// Checks the head; when it is accepted and `target_out` is given, the split
// target is stored there (so that it is parsed once per request).
std::optional<FramingError> check_request_head(const http::request_header<>& head,
                                               const FramingLimits& limits,
                                               Target* target_out = nullptr);

// Returns nullopt when the target is none of the accepted forms.
std::optional<Target> split_target(std::string_view target);

// Given a header block that overflowed the header limit, tells whether the
// request line alone was already too long (414) rather than the fields (431).
bool request_line_too_long(std::string_view received, std::size_t max_url_bytes);

}  // namespace coroserve
