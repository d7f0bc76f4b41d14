// The pure halves of dispatch: the router's decision for every kind of
// request, and what every kind of handler failure is answered with.
#include "server/dispatch.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <boost/asio/error.hpp>
#include <boost/json.hpp>

#include "server/image_memory.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {
namespace {

using ::testing::HasSubstr;

boost::asio::awaitable<Response> dummy(RequestContext&) {
  co_return Response{};
}

constexpr Endpoint kTable[] = {
    {http::verb::get, "/a", dummy, {}, "a", "test"},
    {http::verb::post, "/b", dummy, {}, "b", "test"},
};

Routed route(http::verb method, std::string_view path) {
  static const Router router(kTable);
  return route_request(router, method, http::to_string(method), *split_target(path));
}

unsigned status(const Routed& r) {
  return r.answer ? r.answer->result_int() : 0;
}

TEST(Dispatch, RoutesToTheEndpoint) {
  const auto r = route(http::verb::get, "/a?x=1");
  EXPECT_EQ(r.endpoint, &kTable[0]);
  EXPECT_FALSE(r.answer);
  EXPECT_EQ(r.route, "/a");
}

TEST(Dispatch, AnswersWithoutAHandler) {
  EXPECT_EQ(status(route(http::verb::get, "/nope")), 404u);
  EXPECT_THAT(route(http::verb::get, "/nope").answer->body(),
              HasSubstr("no endpoint at '/nope'; GET / lists them"));
  const auto wrong = route(http::verb::put, "/a");
  EXPECT_EQ(status(wrong), 405u);
  EXPECT_EQ((*wrong.answer)[http::field::allow], "GET, HEAD, OPTIONS");
  EXPECT_EQ(wrong.route, "/a");
  const auto options = route(http::verb::options, "/b");
  EXPECT_EQ(status(options), 204u);
  EXPECT_EQ((*options.answer)[http::field::allow], "POST, OPTIONS");
  const auto star = route(http::verb::options, "*");
  EXPECT_EQ(status(star), 204u);
  EXPECT_EQ((*star.answer)[http::field::allow], "GET, HEAD, POST, OPTIONS");
  // OPTIONS to an absolute URI with neither path nor query asks what
  // OPTIONS * asks (RFC 9112 3.2.4); with a path, if only "/", it asks
  // about that path, and any other method reads the bare URI as "/".
  const auto whole = route(http::verb::options, "http://h");
  EXPECT_EQ(status(whole), 204u);
  EXPECT_EQ((*whole.answer)[http::field::allow], "GET, HEAD, POST, OPTIONS");
  EXPECT_EQ(status(route(http::verb::options, "http://h/")), 404u);
  EXPECT_EQ(status(route(http::verb::get, "http://h")), 404u);
  const auto unknown = route_request(Router(kTable), http::verb::unknown, "BREW", {"/a", {}});
  EXPECT_EQ(status(unknown), 501u);
  EXPECT_THAT(unknown.answer->body(), HasSubstr("method 'BREW' is not implemented"));
}

std::optional<Response> answer(std::exception_ptr e, bool client_gone = false) {
  return answer_failure(e, client_gone, {"id", 1, "GET", "/x"});
}

TEST(Dispatch, EveryFailureGetsTheOneJsonErrorShape) {
  const auto bad = answer(std::make_exception_ptr(
      HttpError(http::status::bad_request, "invalid_parameter", "n is too big")));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->result_int(), 400u);
  const auto body = boost::json::parse(bad->body()).as_object();
  EXPECT_EQ(body.at("error"), "invalid_parameter");
  EXPECT_EQ(body.at("detail"), "n is too big");
  EXPECT_EQ(body.at("status"), 400);

  for (auto e : {std::make_exception_ptr(QueueFull("full")),
                 std::make_exception_ptr(ImageMemoryFull("no room"))}) {
    const auto busy = answer(e);
    ASSERT_TRUE(busy);
    EXPECT_EQ(busy->result_int(), 503u);
    EXPECT_EQ((*busy)[http::field::retry_after], "1");
    EXPECT_THAT(busy->body(), HasSubstr("\"overloaded\""));
  }
  const auto crash = answer(std::make_exception_ptr(std::runtime_error("boom")));
  ASSERT_TRUE(crash);
  EXPECT_EQ(crash->result_int(), 500u);
  EXPECT_THAT(crash->body(), HasSubstr("boom"));
}

TEST(Dispatch, AbandonedWorkOfAClientThatLeftIsNotAnswered) {
  const auto abandoned = std::make_exception_ptr(WorkAbandoned(false));
  EXPECT_FALSE(answer(abandoned, /*client_gone=*/true));
  // Aborted while the client is still there (the pool stopped): a 500.
  const auto stopped = answer(abandoned, /*client_gone=*/false);
  ASSERT_TRUE(stopped);
  EXPECT_EQ(stopped->result_int(), 500u);
}

TEST(Dispatch, ChecksTheQueryAgainstTheEndpointsTable) {
  constexpr Param table[] = {{.name = "n", .max = 9, .fallback = 1, .help = "n"}};
  const Endpoint strict{http::verb::get, "/s", dummy, table, "s", "test"};
  EXPECT_EQ(read_params(strict, "n=3").number("n"), 3u);
  EXPECT_THROW(read_params(strict, "m=3"), HttpError);
  const Endpoint lenient{http::verb::get, "/l", dummy, {}, "l", "test", /*checks_query=*/false};
  EXPECT_NO_THROW(read_params(lenient, "m=3"));
  EXPECT_THROW(read_params(lenient, "m=3&m=4"), HttpError);  // still a valid query
}

}  // namespace
}  // namespace coroserve
