// Splitting a request target: the fast path for plain origin-form targets
// against Boost.URL, and the forms the server accepts.
#include "server/request_target.hpp"

#include <gtest/gtest.h>
#include <boost/url/parse.hpp>

#include <random>
#include <string>

namespace coroserve {
namespace {

TEST(RequestTarget, SplitsTargets) {
  auto t = split_target("/cpu/primes?n=5");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/cpu/primes");
  EXPECT_EQ(t->query, "n=5");
  t = split_target("http://h:80");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/");
  t = split_target("*");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->asterisk);
  EXPECT_FALSE(split_target("nope"));
}

// split_target answers plain origin-form targets itself and leaves the rest
// to Boost.URL: on every origin-form target both must agree, accepted or not,
// and on the path and query they find.
TEST(RequestTarget, SplitsOriginFormLikeBoostUrl) {
  const std::string alphabet = "/?%#aZ09-._~!$&'()*+,;=:@ \"<>[]^`{|}\x7f\x80\xff\x01";
  std::mt19937 rng(20261125);
  auto reference = [](std::string_view t) -> std::optional<Target> {
    auto u = boost::urls::parse_origin_form(boost::core::string_view(t.data(), t.size()));
    if (!u) return std::nullopt;
    auto view = [](boost::core::string_view v) { return std::string_view(v.data(), v.size()); };
    return Target{view(u->encoded_path()), view(u->encoded_query()), false};
  };
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string t = "/";
    const auto length = rng() % 12;
    for (std::size_t j = 0; j < length; ++j) {
      // Mostly plain characters, so that many targets are valid.
      t += rng() % 3 == 0 ? alphabet[rng() % alphabet.size()] : "ab/%4f?="[rng() % 8];
    }
    const std::string copy = t;  // NUL-terminated, for Boost.URL 1.81 (see query_params.cpp)
    const auto got = split_target(copy);
    const auto want = reference(copy);
    ASSERT_EQ(got.has_value(), want.has_value()) << "target: " << t;
    if (!got) continue;
    ++accepted;
    EXPECT_EQ(got->path, want->path) << "target: " << t;
    EXPECT_EQ(got->query, want->query) << "target: " << t;
  }
  EXPECT_GT(accepted, 20000);  // the comparison covered accepted targets too
}

}  // namespace
}  // namespace coroserve
