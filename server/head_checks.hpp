#pragma once
// Checks of a request head, before any body byte is read. Pure functions:
// a head and the limits in, the answer to refuse it with out.
//
// Beast 1.81's parser lets several request-smuggling forms through (an
// unknown transfer coding alone, "chunked, gzip", Transfer-Encoding on
// HTTP/1.0, a missing Host). RFC 9112 §6 says a server must answer those
// with 400 (or 501 for a coding it does not know) and close, so they are
// checked here. Obs-fold lines are caught earlier, on the raw bytes
// (raw_head.hpp), because Beast unfolds them.
#include <cstdint>
#include <optional>
#include <string_view>

#include "server/http_types.hpp"
#include "server/raw_head.hpp"
#include "server/request_target.hpp"

namespace coroserve {

// The request size limits (--max-url-bytes and the rest).
struct RequestLimits {
  std::size_t max_url_bytes = 4096;
  std::size_t max_header_bytes = 8192;  // the fields, not the request line
  std::uint64_t max_body_bytes = 1 << 20;

  // The whole head a parser may hold: a request line within its limit and
  // fields within theirs. Each limit is then checked on its own part, so
  // that raising one is never undone by the other.
  std::size_t max_head_bytes() const {
    return max_url_bytes + kRequestLineOverhead + max_header_bytes;
  }
};

// nullopt when the head is accepted; then, when `target_out` is given, the
// split target is stored there (so that it is split once per request).
// Otherwise the error to answer with before closing the connection.
std::optional<HttpError> check_request_head(const RequestHead& head, const RequestLimits& limits,
                                            Target* target_out = nullptr);

// True when a field value holds a byte other than visible characters,
// spaces, tabs and obs-text (0x80 and up): a control byte, DEL, or the CR
// or LF that an obs-fold line leaves behind in Beast 1.81.
bool has_bad_value_bytes(std::string_view value) noexcept;

// True when the client waits for "100 Continue" before it sends the body.
// An HTTP/1.0 client's Expect is ignored (RFC 9110 §10.1.1); any
// expectation other than 100-continue is refused by check_request_head().
bool expects_continue(const RequestHead& head);

// 413 when the declared Content-Length is past --max-body-bytes: answered
// before the body is read.
std::optional<HttpError> check_declared_length(std::optional<std::uint64_t> content_length,
                                               const RequestLimits& limits);

}  // namespace coroserve
