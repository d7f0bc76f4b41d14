#include "server/read_errors.hpp"

#include <boost/beast/http/error.hpp>

#include <string>

#include "server/raw_head.hpp"

namespace coroserve {

namespace {

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

HttpError timeout(bool in_body) {
  return HttpError(http::status::request_timeout, "request_timeout",
                   in_body ? "the request body did not arrive within --body-timeout-ms"
                           : "the request header did not arrive within --header-timeout-ms");
}

HttpError too_large(const ReadFailure& f, const RequestLimits& limits) {
  // In a body only a chunk's size line, with its extensions, is held whole
  // before it is parsed: the header is not the one to blame.
  if (f.in_body) {
    return HttpError(http::status::bad_request, "bad_request",
                     "a chunk size line (with its extensions) is longer than the server buffers");
  }
  return f.request_line_too_long ? uri_too_long(limits) : header_too_large(limits);
}

}  // namespace

HttpError uri_too_long(const RequestLimits& limits) {
  return HttpError(http::status::uri_too_long, "uri_too_long",
                   "the request line is longer than --max-url-bytes (" +
                       std::to_string(limits.max_url_bytes) + ")");
}

HttpError header_too_large(const RequestLimits& limits) {
  return HttpError(http::status::request_header_fields_too_large, "header_too_large",
                   "the request header is larger than --max-header-bytes (" +
                       std::to_string(limits.max_header_bytes) + ")");
}

std::optional<HttpError> answer_read_failure(const ReadFailure& f, const RequestLimits& limits) {
  const auto& ec = f.ec;
  if (f.timed_out) return timeout(f.in_body);  // a request had started and did not arrive in time
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return too_large(f, limits);
  }
  if (ec == http::error::body_limit) {
    return HttpError(http::status::payload_too_large, "payload_too_large",
                     "the body (with its chunk extensions) is larger than --max-body-bytes (" +
                         std::to_string(limits.max_body_bytes) + ")");
  }
  // The client closed mid-request: nobody to answer.
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return std::nullopt;
  if (ec == http::error::bad_version && names_other_http_version(f.received)) {
    return HttpError(http::status::http_version_not_supported, "http_version_not_supported",
                     "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (is_parse_error(ec) && !f.in_body && scan_header(f.received, 0, f.received.size()).bare_lf) {
    // Beast names whatever it was parsing ("bad version"): the cause is the line end.
    return HttpError(http::status::bad_request, "bad_request",
                     "malformed request: a line ends in a bare LF; HTTP lines end in CRLF");
  }
  if (ec == http::error::bad_line_ending && f.in_body) {
    return HttpError(http::status::bad_request, "bad_request",
                     "malformed request: a line of the chunked body does not end in CRLF");
  }
  if (is_parse_error(ec)) {
    return HttpError(http::status::bad_request, "bad_request",
                     "malformed request: " + ec.message());
  }
  return std::nullopt;  // a socket error: the connection is gone
}

}  // namespace coroserve
