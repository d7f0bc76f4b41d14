// The request path without sockets: raw bytes -> Beast request_parser (with
// the session's limits) -> check_request_head -> split_target -> Router::find
// -> QueryParams validation -> the error response a client would get.
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
#include "server/framing.hpp"
#include "server/query_params.hpp"
#include "server/router.hpp"

using namespace coroserve;

namespace {

// The README's endpoint table, with handlers that are never called: the
// fuzzer explores the routing decision, not the handlers (which need a
// running server). Listing the paths here keeps the fuzz build to the few
// files on the request path instead of the whole, fast-moving server.
const Router& routes() {
  static const Router r = [] {
    Router router;
    const Handler none = [](RequestContext&) -> boost::asio::awaitable<Response> {
      co_return Response{};
    };
    for (const char* path : {"/", "/healthz", "/readyz", "/plaintext", "/io/sleep", "/io/fanout",
                             "/cpu/primes", "/cpu/hash", "/cpu/mandelbrot", "/metrics"}) {
      router.add(http::verb::get, path, none, "");
    }
    router.add(http::verb::post, "/echo", none, "");
    return router;
  }();
  return r;
}

// What the CPU and I/O handlers read from a query, with their caps.
void validate_query(std::string_view query) {
  try {
    auto q = QueryParams::parse(query);
    q.get_uint("n", 10'000'000, 0, 2'000'000'000);
    q.get_uint("split", 2, 1, 64);
    q.get_uint("ms", 100, 0, 10'000);
    q.get_choice("where", "pool", {"pool", "loop"});
    q.allow_only({"n", "split", "ms", "where"});
  } catch (const HttpError& e) {
    if (e.status() != http::status::bad_request) fuzz::fail("query error is not 400");
    fuzz::check_error_response(e.status(), e.error(), e.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t step = data[0] == 0 ? size : data[0];
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  http::request_parser<http::string_body> parser;
  parser.header_limit(8192);
  parser.body_limit(1 << 20);
  parser.eager(true);
  std::size_t offset = 0;
  std::string pending;  // what the parser has not consumed yet, as in the session's buffer
  while (offset < input.size() && !parser.is_done()) {
    pending.append(input.substr(offset, step));
    offset += step;
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(pending), ec);
    if (ec && ec != http::error::need_more) break;
    pending.erase(0, used);
    if (pending.size() > 8192 + (1 << 20)) fuzz::fail("unbounded buffering");
  }
  if (!parser.is_header_done()) return 0;

  const auto& head = parser.get().base();
  if (auto err = check_request_head(head, {4096})) {
    const auto s = static_cast<unsigned>(err->status);
    if (s < 400 || s > 505) fuzz::fail("framing error with a non-error status");
    fuzz::check_error_response(err->status, err->error, err->detail);
    return 0;
  }
  // The session dereferences split_target's result without a check, because
  // check_request_head accepted the target: that must hold for every input.
  const auto target = split_target(head.target());
  if (!target) fuzz::fail("check_request_head accepted a target split_target refuses");
  if (target->asterisk) {
    if (head.method() != http::verb::options) fuzz::fail("'*' accepted for a non-OPTIONS method");
    return 0;
  }
  const auto match = routes().find(head.method(), target->path);
  switch (match.outcome) {
    case Router::Outcome::found:
      if (match.handler == nullptr) fuzz::fail("found without a handler");
      validate_query(target->query);
      break;
    case Router::Outcome::method_not_allowed:
      if (match.allow.empty()) fuzz::fail("405 without Allow");
      fuzz::check_error_response(
          http::status::method_not_allowed, "method_not_allowed",
          "'" + std::string(target->path) + "' allows " + std::string(match.allow));
      break;
    case Router::Outcome::not_found:
      fuzz::check_error_response(
          http::status::not_found, "not_found",
          "no endpoint at '" + std::string(target->path).substr(0, 256) + "'");
      break;
  }
  return 0;
}
