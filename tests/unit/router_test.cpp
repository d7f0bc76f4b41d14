#include "server/router.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace coroserve {
namespace {

boost::asio::awaitable<Response> dummy(RequestContext&) {
  co_return Response{};
}

constexpr Endpoint kTable[] = {
    {http::verb::get, "/a", dummy, {}, "a", "test"},
    {http::verb::post, "/b", dummy, {}, "b", "test"},
};

TEST(Router, FindsExactPathAndMethod) {
  const Router r(kTable);
  const auto a = r.find(http::verb::get, "/a");
  EXPECT_EQ(a.outcome, Router::Outcome::found);
  EXPECT_EQ(a.endpoint, &kTable[0]);
  EXPECT_EQ(a.route, "/a");
  EXPECT_EQ(r.find(http::verb::post, "/b").endpoint, &kTable[1]);
  EXPECT_EQ(r.find(http::verb::get, "/a/").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find(http::verb::get, "/A").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find(http::verb::get, "").outcome, Router::Outcome::not_found);
  EXPECT_EQ(r.find(http::verb::get, "").route, "");
}

TEST(Router, PercentEncodedUnreservedCharactersMatchTheirPath) {
  const Router r(kTable);
  const auto a = r.find(http::verb::get, "/%61");
  EXPECT_EQ(a.endpoint, &kTable[0]);
  EXPECT_EQ(a.route, "/a");
  EXPECT_EQ(r.find(http::verb::get, "/%41").outcome, Router::Outcome::not_found);  // "/A"
  EXPECT_EQ(r.find(http::verb::get, "%2Fa").outcome, Router::Outcome::not_found);  // a reserved "/"
}

TEST(Router, HeadIsServedByGet) {
  const Router r(kTable);
  const auto m = r.find(http::verb::head, "/a");
  EXPECT_EQ(m.outcome, Router::Outcome::found);
  EXPECT_EQ(m.endpoint, &kTable[0]);
}

TEST(Router, WrongMethodGives405WithAllow) {
  const Router r(kTable);
  auto m = r.find(http::verb::delete_, "/a");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "GET, HEAD, OPTIONS");
  m = r.find(http::verb::get, "/b");
  EXPECT_EQ(m.outcome, Router::Outcome::method_not_allowed);
  EXPECT_EQ(m.allow, "POST, OPTIONS");
  // HEAD is not allowed where there is no GET.
  EXPECT_EQ(r.find(http::verb::head, "/b").outcome, Router::Outcome::method_not_allowed);
}

TEST(Router, RejectsATableThatNamesARouteTwice) {
  constexpr Endpoint twice[] = {
      {http::verb::get, "/a", dummy, {}, "a", "test"},
      {http::verb::get, "/a", dummy, {}, "again", "test"},
  };
  EXPECT_THROW(Router{twice}, std::logic_error);
}

// The server's own table: every endpoint is found where it says, and every
// parameter's default lies in its range.
TEST(Router, ServesEveryEndpointOfTheServersTable) {
  const Router r(endpoints());
  for (const auto& e : endpoints()) {
    EXPECT_EQ(r.find(e.method, e.path).endpoint, &e) << e.path;
    std::set<std::string_view> names;
    for (const auto& p : e.params) {
      EXPECT_TRUE(names.insert(p.name).second) << e.path << " names " << p.name << " twice";
      if (p.choices.empty() && p.fallback_text.empty()) {
        EXPECT_GE(p.fallback, p.min) << e.path << "?" << p.name;
        EXPECT_LE(p.fallback, p.max) << e.path << "?" << p.name;
      }
      EXPECT_FALSE(p.help.empty()) << e.path << "?" << p.name;
    }
  }
}

}  // namespace
}  // namespace coroserve
