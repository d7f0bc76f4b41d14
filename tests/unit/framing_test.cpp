#include "server/framing.hpp"

#include <gtest/gtest.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/url/parse.hpp>

#include <random>

namespace coroserve {
namespace {

// Parses a request head with Beast as the session does, then checks it.
// Returns 0 when the head is accepted, the status when check_request_head
// refuses it, and -1 when Beast's parser itself refuses it.
int verdict(const std::string& raw, std::size_t max_url = 4096) {
  http::request_parser<http::string_body> p;
  boost::system::error_code ec;
  p.put(boost::asio::buffer(raw), ec);
  if (ec || !p.is_header_done()) return -1;
  auto err = check_request_head(p.get().base(), {max_url});
  return err ? static_cast<int>(err->status) : 0;
}

TEST(Framing, AcceptsOrdinaryRequests) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  EXPECT_EQ(verdict("GET / HTTP/1.0\r\n\r\n"), 0);  // Host is optional in 1.0
  EXPECT_EQ(verdict("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"), 0);
  EXPECT_EQ(verdict("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), 0);
  EXPECT_EQ(verdict("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked \r\n\r\n"), 0);
  EXPECT_EQ(verdict("GET http://example.com/plaintext?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  EXPECT_EQ(verdict("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
  EXPECT_EQ(verdict("POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                    "Content-Length: 1\r\n\r\n"),
            0);
}

// The forms Beast 1.81 lets through, each of which can smuggle a request.
TEST(Framing, RefusesAmbiguousTransferEncodings) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"), 400);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), 400);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n"),
            400);
  const int twice = verdict(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
      "Transfer-Encoding: chunked\r\n\r\n");
  EXPECT_TRUE(twice == 400 || twice == -1) << twice;
  EXPECT_EQ(verdict("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\n\r\n"), 400);
}

TEST(Framing, RefusesMissingOrRepeatedHostAndRepeatedLength) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  // Beast itself refuses conflicting lengths; identical ones reach us.
  const int same = verdict(
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
      "Content-Length: 1\r\n\r\n");
  EXPECT_TRUE(same == 400 || same == -1) << same;
}

TEST(Framing, RefusesListsInContentLength) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n"), 400);
}

// (obs-fold is caught before parsing, in the session: Beast unfolds it.)
TEST(Framing, RefusesControlBytes) {
  const int ctl = verdict(std::string("GET / HTTP/1.1\r\nHost: a\r\nX-A: o\x01k\r\n\r\n"));
  EXPECT_TRUE(ctl == 400 || ctl == -1) << ctl;
}

TEST(Framing, VersionsTargetsAndExpect) {
  // Beast refuses versions other than 1.x itself (the session answers 505).
  EXPECT_EQ(verdict("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), -1);
  EXPECT_EQ(verdict("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET ftp://x/ HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET /abcdefgh HTTP/1.1\r\nHost: a\r\n\r\n", 8), 414);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n"), 417);
}

TEST(Framing, SplitsTargets) {
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
TEST(Framing, SplitsOriginFormLikeBoostUrl) {
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

TEST(Framing, HandsBackTheSplitTargetOfAnAcceptedHead) {
  http::request_parser<http::string_body> p;
  boost::system::error_code ec;
  const std::string raw = "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n";
  p.put(boost::asio::buffer(raw), ec);
  ASSERT_FALSE(ec);
  Target target;
  ASSERT_FALSE(check_request_head(p.get().base(), {4096}, &target));
  EXPECT_EQ(target.path, "/a/b");
  EXPECT_EQ(target.query, "x=1");
}

TEST(Framing, TellsALongRequestLineFromLongFields) {
  EXPECT_TRUE(request_line_too_long("GET /" + std::string(5000, 'a'), 4096));
  EXPECT_FALSE(request_line_too_long("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a'), 4096));
}

}  // namespace
}  // namespace coroserve
