#include "client/http_get.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <optional>

#include "client/errors.hpp"
#include "client/reach.hpp"
#include "client/tls_client.hpp"
#include "common/version.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// Writes the GET and reads its answer into `result`, on a plain socket or a
// TLS stream alike. Returns what failed, or "" when the answer came.
template <typename Stream>
asio::awaitable<std::string> get_on(Stream& stream, const Target& origin, std::string_view target,
                                    HttpGetResult& result) {
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, origin.host_header);
  req.set(http::field::user_agent, std::string("corobench/") + coroserve::kVersion);
  req.keep_alive(false);
  if (auto [ec, n] = co_await http::async_write(stream, req, nothrow); ec) {
    co_return "write: " + ec.message();
  }
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  if (auto [ec, n] = co_await http::async_read(stream, buf, res, nothrow); ec) {
    co_return "read: " + ec.message();
  }
  result.status = res.result_int();
  result.body = std::move(res.body());
  co_return "";
}

// Connects (and handshakes, for https://) and runs the GET. The caller's
// timer closes the socket at the deadline, which ends whichever step runs.
asio::awaitable<std::string> exchange(tcp::socket& sock, const Target& origin,
                                      std::string_view target, TlsClient* tls,
                                      HttpGetResult& result) {
  const auto eps = resolve_target(origin);
  if (auto [ec, ep] = co_await asio::async_connect(sock, eps, nothrow); ec) {
    co_return "connect: " + ec.message();
  }
  if (!tls) co_return co_await get_on(sock, origin, target, result);
  TlsStream stream(sock, tls->context());
  if (const auto ec = co_await tls->handshake(stream, nullptr); ec) {
    co_return TlsClient::describe_failure(stream, ec);
  }
  co_return co_await get_on(stream, origin, target, result);
}

}  // namespace

HttpGetResult http_get(const Target& origin, std::string_view target,
                       std::chrono::milliseconds timeout, const TlsPlan& tls_plan) {
  std::optional<TlsClient> tls;
  if (origin.tls) tls.emplace(tls_plan, origin);
  asio::io_context ioc;
  tcp::socket sock(ioc);
  asio::steady_timer deadline(ioc, timeout);
  bool timed_out = false;
  deadline.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    timed_out = true;
    boost::system::error_code ignored;
    sock.close(ignored);
  });
  HttpGetResult result;
  std::string failure;
  const auto start = std::chrono::steady_clock::now();
  asio::co_spawn(ioc, exchange(sock, origin, target, tls ? &*tls : nullptr, result),
                 [&](std::exception_ptr e, std::string why) {
                   deadline.cancel();
                   if (e) std::rethrow_exception(e);
                   failure = std::move(why);
                 });
  ioc.run();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (timed_out) failure = "no answer within " + std::to_string(timeout.count()) + " ms";
  if (!failure.empty()) {
    throw RunError("GET " + origin.origin() + std::string(target) + " failed: " + failure);
  }
  return result;
}

}  // namespace corobench
