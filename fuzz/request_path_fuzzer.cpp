// The request path without sockets, through the server's own parts: raw
// bytes -> the raw-head checks -> Beast's request_parser (with the server's
// limits) -> the read-error mapping -> the head checks -> the router on the
// server's endpoint table -> each endpoint's parameter table. Handlers are
// not run (they need a running server); every answer the path can give
// without them is checked for the house's JSON error shape.
//
// The first input byte chooses how the rest is cut into put() calls, so the
// parser is resumed at every kind of boundary, as it is when a slow client
// sends a few bytes at a time.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/common.hpp"
#include "server/dispatch.hpp"
#include "server/head_checks.hpp"
#include "server/raw_head.hpp"
#include "server/read_errors.hpp"
#include "server/request_reader.hpp"

using namespace coroserve;

namespace {

const RequestLimits kLimits{};

void check_refusal(const std::optional<HttpError>& e) {
  if (!e) return;
  const auto s = static_cast<unsigned>(e->status());
  if (s < 400 || s > 505) fuzz::fail("a refusal with a status that is not an error");
  fuzz::check_error_response(e->status(), e->error(), e->detail());
}

// What the router and the parameter tables answer, as dispatch would.
void route_and_read_params(const RequestHead& head, const Target& target) {
  static const Router router(endpoints());
  const auto routed = route_request(router, head.method(), head.method_string(), target);
  if (routed.endpoint == nullptr) {
    if (!routed.answer) fuzz::fail("no endpoint and no answer");
    const auto s = routed.answer->result_int();
    if (s == 405 && (*routed.answer)[http::field::allow].empty()) fuzz::fail("405 without Allow");
    if (s >= 400) fuzz::check_error_body(*routed.answer);
    return;
  }
  if (routed.endpoint->path != with_unreserved_decoded(target.path)) {
    fuzz::fail("routed to another path");
  }
  try {
    read_params(*routed.endpoint, target.query);
  } catch (const HttpError& e) {
    if (e.status() != http::status::bad_request) fuzz::fail("a query error that is not 400");
    fuzz::check_error_response(e.status(), e.error(), e.detail());
  }
}

// Feeds `input` to the parser `step` bytes at a time, keeping what it did
// not consume, as the session's buffer does. Returns what the server would
// answer a failed read with, or nothing when the head was read.
std::optional<HttpError> read(std::string_view input, std::size_t step, RequestParser& parser) {
  std::string pending;
  for (std::size_t offset = 0; offset < input.size() && !parser.is_header_done(); offset += step) {
    pending.append(input.substr(offset, step));
    const bool line_too_long = request_line_too_long(pending, kLimits.max_url_bytes);
    serve_higher_minor_as_11(pending.data(), pending.size());
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(pending), ec);
    if (ec && ec != http::error::need_more) {
      return answer_read_failure({ec, false, false, line_too_long, pending}, kLimits);
    }
    pending.erase(0, used);
    if (pending.size() > kLimits.max_head_bytes() + (1 << 20)) fuzz::fail("unbounded buffering");
  }
  return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = data[0] == 0 ? size : data[0];
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  input.remove_prefix(leading_empty_lines(input));  // as the session skips them
  // The raw checks answer alone when they refuse; they must never crash.
  const HeadScan scan = scan_header(input, 0, kLimits.max_head_bytes());
  if (scan.not_http || (scan.state == HeaderScan::complete && scan.obs_fold)) return 0;
  if (scan.state == HeaderScan::complete &&
      (field_bytes(input, scan.head_bytes) > kLimits.max_header_bytes ||
       request_line_too_long(input, kLimits.max_url_bytes))) {
    return 0;
  }

  RequestParser parser;
  // Not eager, as the session: the body is read only once its declared
  // length has passed the checks below.
  limit_to_the_head(parser, kLimits);
  if (auto refused = read(input, step, parser)) return check_refusal(refused), 0;
  if (!parser.is_header_done()) return 0;

  const auto& head = parser.get().base();
  Target target;
  if (auto err = check_request_head(head, kLimits, &target)) return check_refusal(err), 0;
  // The session uses the split target without a check, because the head
  // checks accepted it: that must hold for every input.
  if (!split_target(head.target()))
    fuzz::fail("the head checks accepted a target that does not split");
  if (target.asterisk && head.method() != http::verb::options)
    fuzz::fail("'*' accepted for a non-OPTIONS method");
  const auto length = parser.content_length();
  check_refusal(check_declared_length(length ? std::optional(*length) : std::nullopt, kLimits));
  route_and_read_params(head, target);
  return 0;
}
