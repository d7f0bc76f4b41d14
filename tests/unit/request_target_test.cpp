// Splitting a request target: the fast path for plain origin-form targets
// against Boost.URL, and the forms the server accepts.
#include "server/request_target.hpp"

#include <gtest/gtest.h>
#include <boost/url/authority_view.hpp>
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
  EXPECT_TRUE(t->authority_only);
  EXPECT_FALSE(split_target("http://h:80/")->authority_only) << "a path, if only '/'";
  EXPECT_FALSE(split_target("http://h:80?")->authority_only) << "a query, if empty";
  EXPECT_FALSE(split_target("/")->authority_only);
  t = split_target("*");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->asterisk);
  EXPECT_FALSE(split_target("nope"));
}

// RFC 9110 4.2.1: an http URI with an empty host is invalid; the
// authority is judged as a Host value is.
TEST(RequestTarget, RefusesAbsoluteFormWithoutAValidHost) {
  EXPECT_FALSE(split_target("http:///healthz"));
  EXPECT_FALSE(split_target("http:/healthz"));
  EXPECT_FALSE(split_target("http:healthz"));
  EXPECT_FALSE(split_target("http://:80/healthz"));
  EXPECT_FALSE(split_target("http://u@h/healthz"));
  EXPECT_FALSE(split_target("http://[::1/healthz"));
  auto t = split_target("http://[::1]:8080/healthz?x=1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/healthz");
  EXPECT_EQ(t->query, "x=1");
  EXPECT_TRUE(split_target("https://a%2Db.example:/healthz"));
}

TEST(RequestTarget, AcceptsHostsOfRfc3986) {
  for (const char* host : {"a", "localhost:8080", "127.0.0.1", "127.0.0.1:80", "[::1]",
                           "[::1]:8080", "[v1.x]", "a%20b", "ex_ample.com~!$&'()*+,;=",
                           // RFC 3986 lets the port be empty after the colon.
                           "a:",
                           // ... and the reg-name be empty: "" (RFC 9112 3.2 allows an
                           // empty Host) and ":80" too. RFC syntax is kept; an empty
                           // host in an http URI is refused apart (split_target).
                           "", ":80", ":"}) {
    EXPECT_TRUE(is_valid_host_port(host)) << host;
  }
}

TEST(RequestTarget, RefusesHostsOutsideRfc3986) {
  for (const char* host :
       {"a b", "x/y", "a@b", "@b", "u:p@h", "a%2", "a%zz", "[::1", "::1", "[1:2]", "[]", "a:b",
        "a:80:90", "a?b", "a#", "a\tb", "a\\b", "caf\xc3\xa9", "a:80 "}) {
    EXPECT_FALSE(is_valid_host_port(host)) << host;
  }
}

// is_valid_host_port judges plain "name:port" values itself and leaves the
// rest to Boost.URL: on every value both must agree.
TEST(RequestTarget, JudgesHostsLikeBoostUrl) {
  const std::string alphabet = "%[]:@/?# v.-_~!$&'()*+,;=\"\x7f\x80\xff\x01";
  std::mt19937 rng(20261126);
  auto reference = [](const std::string& h) {
    auto a = boost::urls::parse_authority(boost::core::string_view(h.data(), h.size()));
    return a && !a->has_userinfo();
  };
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string h;
    const auto length = rng() % 10;
    for (std::size_t j = 0; j < length; ++j) {
      h += rng() % 3 == 0 ? alphabet[rng() % alphabet.size()] : "aF09:.:2"[rng() % 8];
    }
    const bool want = reference(h);
    ASSERT_EQ(is_valid_host_port(h), want) << "host: " << h;
    accepted += want ? 1 : 0;
  }
  EXPECT_GT(accepted, 20000);  // the comparison covered accepted values too
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

TEST(RequestTarget, DecodesOnlyUnreservedCharacters) {
  EXPECT_EQ(with_unreserved_decoded("/%70laintext"), "/plaintext");
  EXPECT_EQ(with_unreserved_decoded("/%7e%2D%5F%2e"), "/~-_.");
  EXPECT_EQ(with_unreserved_decoded("/a%2Fb%20c%25"), "/a%2Fb%20c%25");  // reserved, kept
  EXPECT_EQ(with_unreserved_decoded("/%7"), "/%7");                      // cut short
  EXPECT_EQ(with_unreserved_decoded("/%zz%4"), "/%zz%4");
  EXPECT_EQ(with_unreserved_decoded(""), "");
}

}  // namespace
}  // namespace coroserve
