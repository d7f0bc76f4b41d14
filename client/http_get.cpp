#include "client/http_get.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "client/errors.hpp"
#include "client/reach.hpp"
#include "common/version.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

HttpGetResult http_get(const Target& origin, std::string_view target,
                       std::chrono::milliseconds timeout) {
  const auto eps = resolve_target(origin);
  asio::io_context ioc;
  HttpGetResult result;
  std::string failure;
  const auto start = std::chrono::steady_clock::now();
  auto exchange = [&]() -> asio::awaitable<void> {
    constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
    beast::tcp_stream stream(ioc);
    // tcp_stream's own timer bounds each step; this is a one-off request.
    stream.expires_after(timeout);
    if (auto [ec, ep] = co_await stream.async_connect(eps, nothrow); ec) {
      failure = "connect: " + ec.message();
      co_return;
    }
    http::request<http::empty_body> req{http::verb::get, target, 11};
    req.set(http::field::host, origin.host_header);
    req.set(http::field::user_agent, std::string("corobench/") + coroserve::kVersion);
    req.keep_alive(false);
    if (auto [ec, n] = co_await http::async_write(stream, req, nothrow); ec) {
      failure = "write: " + ec.message();
      co_return;
    }
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    if (auto [ec, n] = co_await http::async_read(stream, buf, res, nothrow); ec) {
      failure = ec == beast::error::timeout
                    ? "no answer within " + std::to_string(timeout.count()) + " ms"
                    : "read: " + ec.message();
      co_return;
    }
    result.status = res.result_int();
    result.body = std::move(res.body());
  };
  asio::co_spawn(ioc, exchange(), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
  ioc.run();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!failure.empty()) {
    throw RunError("GET " + origin.origin() + std::string(target) + " failed: " + failure);
  }
  return result;
}

}  // namespace corobench
