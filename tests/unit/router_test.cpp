#include "server/router.hpp"

#include <gtest/gtest.h>

namespace coroserve {
namespace {

boost::asio::awaitable<Response> dummy(RequestContext&) {
  co_return Response{};
}

TEST(Router, FindsExactPathAndMethod) {
  Router r;
  r.add(http::verb::get, "/a", dummy, "a");
  r.add(http::verb::post, "/b", dummy, "b");
  EXPECT_EQ(r.find(http::verb::get, "/a").outcome, Router::Outcome::found);
  EXPECT_NE(r.find(http::verb::get, "/a").handler, nullptr);
  EXPECT_EQ(r.find(http::verb::post, "/b").outcome, Router::Outcome::found);
  EXPECT_EQ(r.find(http::verb::get, "/a/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find(http::verb::get, "/A").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find(http::verb::get, "").outcome, Router::Outcome::not_found);
}

TEST(Router, HeadIsServedByGet) {
  Router r;
  r.add(http::verb::get, "/a", dummy, "a");
  const auto m = r.find(http::verb::head, "/a");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.handler, r.find(http::verb::get, "/a").handler);
}

TEST(Router, WrongMethodGives405WithAllow) {
  Router r;
  r.add(http::verb::get, "/a", dummy, "a");
  r.add(http::verb::post, "/b", dummy, "b");
  auto m = r.find(http::verb::delete_, "/a");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
  m = r.find(http::verb::get, "/b");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "POST, OPTIONS");
  // HEAD is not allowed where there is no GET.
  EXPECT_EQ(r.find(http::verb::head, "/b").outcome, Router::Outcome::method_not_allowed);
}

TEST(Router, RejectsDuplicateRoutesAndListsRoutes) {
  Router r;
  r.add(http::verb::get, "/a", dummy, "help a");
  EXPECT_THROW(r.add(http::verb::get, "/a", dummy, "again"), std::logic_error);
  ASSERT_EQ(r.routes().size(), 1u);
  EXPECT_EQ(r.routes()[0].help, "help a");
}

}  // namespace
}  // namespace coroserve
