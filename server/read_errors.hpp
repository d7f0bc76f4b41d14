#pragma once
// What a client is told when its request could not be read: the mapping
// from a failed read (a timeout, a parser error, a limit) to the answer sent
// before the connection closes. A pure function, so that every mapping is
// unit-tested and fuzzed without a socket.
#include <boost/system/error_code.hpp>

#include <optional>
#include <string_view>

#include "server/head_checks.hpp"
#include "server/http_types.hpp"

namespace coroserve {

// What the session knows when reading a request failed.
struct ReadFailure {
  boost::system::error_code ec;
  bool timed_out = false;              // the phase's deadline passed (the sweeper cancelled)
  bool in_body = false;                // the header had been read
  bool request_line_too_long = false;  // decided on the raw bytes, before parsing
  std::string_view received;           // the bytes still buffered (their first line)
};

// 431: the header fields are past --max-header-bytes.
HttpError header_too_large(const RequestLimits& limits);
// 414: the request line is too long for --max-url-bytes.
HttpError uri_too_long(const RequestLimits& limits);

// The error to answer with, or nullopt when there is nobody to answer: the
// client closed mid-request, or the socket failed.
std::optional<HttpError> answer_read_failure(const ReadFailure& failure,
                                             const RequestLimits& limits);

}  // namespace coroserve
