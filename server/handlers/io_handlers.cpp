// I/O-bound endpoints: the coroutine waits, the loop serves others meanwhile.
// Timers stand in for the database or network calls of a real service.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <memory>
#include <vector>

#include "server/handlers/handlers.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"

namespace coroserve::handlers {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// Durations are integer microseconds in JSON, as in every answer.
std::int64_t us_since(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t).count();
}

}  // namespace

Answer sleep(RequestContext& ctx) {
  const auto ms = ctx.params.number("ms");
  const auto start = Clock::now();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::milliseconds(ms));
  co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  boost::json::object o{{"requested_ms", ms}, {"slept_us", us_since(start)}};
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

// n waits started at once; wait i lasts ms*(i+1)/n, so one after the other
// they would take about n*ms/2, concurrently about ms.
Answer fanout(RequestContext& ctx) {
  const auto n = ctx.params.number("n");
  const auto ms = ctx.params.number("ms");
  auto executor = co_await asio::this_coro::executor;

  struct Fan {
    explicit Fan(asio::any_io_executor ex) : done(ex) {}
    std::vector<std::unique_ptr<asio::steady_timer>> waits;
    std::size_t pending = 0;
    asio::steady_timer done;  // a latch: cancelled when the last wait ends
  };
  auto fan = std::make_shared<Fan>(executor);
  fan->done.expires_at(Clock::time_point::max());
  fan->pending = n;
  std::int64_t sequential_us = 0;
  const auto start = Clock::now();
  for (std::uint64_t i = 0; i < n; ++i) {
    const auto wait = std::chrono::microseconds(ms * 1000 * (i + 1) / n);
    sequential_us += wait.count();
    auto& t = fan->waits.emplace_back(std::make_unique<asio::steady_timer>(executor, wait));
    t->async_wait([fan](boost::system::error_code) {
      if (--fan->pending == 0) fan->done.cancel();
    });
  }
  co_await fan->done.async_wait(asio::as_tuple(asio::use_awaitable));
  boost::json::object o{
      {"n", n}, {"ms", ms}, {"elapsed_us", us_since(start)}, {"sequential_us", sequential_us}};
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

Answer echo(RequestContext& ctx) {
  auto type = ctx.request[http::field::content_type];
  co_return make_response(http::status::ok, ctx.request.body(),
                          type.empty() ? "application/octet-stream" : type);
}

}  // namespace coroserve::handlers
