#include "server/head_checks.hpp"
#include "server/request_reader.hpp"

#include <gtest/gtest.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

namespace coroserve {
namespace {

// Parses a request head with Beast as the session does, then checks it.
// Returns 0 when the head is accepted, the status when check_request_head
// refuses it, and -1 when Beast's parser itself refuses it.
int verdict(const std::string& raw, std::size_t max_url = 4096) {
  RequestParser p;
  boost::system::error_code ec;
  p.put(boost::asio::buffer(raw), ec);
  if (ec || !p.is_header_done()) return -1;
  auto err = check_request_head(p.get().base(), {.max_url_bytes = max_url});
  return err ? static_cast<int>(err->status()) : 0;
}

TEST(HeadChecks, AcceptsOrdinaryRequests) {
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
TEST(HeadChecks, RefusesAmbiguousTransferEncodings) {
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

TEST(HeadChecks, RefusesMissingOrRepeatedHostAndRepeatedLength) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  // Beast itself refuses conflicting lengths; identical ones reach us.
  const int same = verdict(
      "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n"
      "Content-Length: 1\r\n\r\n");
  EXPECT_TRUE(same == 400 || same == -1) << same;
}

// RFC 9112 3.2: a Host value that is not uri-host [":" port] gets 400, on
// HTTP/1.0 as well; an empty one is allowed.
TEST(HeadChecks, RefusesAnInvalidHostValue) {
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: x/y\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: u@h\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: h:http\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.0\r\nHost: a b\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"), 0);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n"), 0);
  RequestParser p;
  boost::system::error_code ec;
  p.put(boost::asio::buffer(std::string("GET / HTTP/1.1\r\nHost: a b\r\n\r\n")), ec);
  ASSERT_FALSE(ec);
  const auto err = check_request_head(p.get().base(), {});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->detail(), "the Host header is not a valid host[:port]");
}

TEST(HeadChecks, RefusesListsInContentLength) {
  EXPECT_EQ(verdict("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n"), 400);
}

// (obs-fold is caught before parsing, on the raw bytes: Beast unfolds it.)
TEST(HeadChecks, RefusesControlBytes) {
  const int ctl = verdict(std::string("GET / HTTP/1.1\r\nHost: a\r\nX-A: o\x01k\r\n\r\n"));
  EXPECT_TRUE(ctl == 400 || ctl == -1) << ctl;
}

// Values are tested 8 bytes at a time: each byte value, at each place of
// values of every length up to three words, must get the answer of the
// byte-by-byte rule (controls but tab, and DEL, are bad; obs-text is not).
TEST(HeadChecks, ValueBytesAreJudgedAlikeAtEveryPlace) {
  const auto bad = [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; };
  for (std::size_t len = 1; len <= 24; ++len) {
    for (std::size_t at = 0; at < len; ++at) {
      for (int c = 0; c < 256; ++c) {
        std::string v(len, 'a');
        if (len > 2) v[len - 1] = '\xe9';  // obs-text beside it
        v[at] = static_cast<char>(c);
        ASSERT_EQ(has_bad_value_bytes(v),
                  bad(static_cast<unsigned char>(v.back())) || bad(static_cast<unsigned char>(c)))
            << "byte " << c << " at " << at << " of " << len;
      }
    }
  }
  EXPECT_FALSE(has_bad_value_bytes(""));
  EXPECT_FALSE(has_bad_value_bytes("text/html;\tq=0.9, \x80\xff~ !"));
  EXPECT_TRUE(has_bad_value_bytes("0123456789abcdef\r\n"));
}

TEST(HeadChecks, VersionsTargetsAndExpect) {
  // Beast refuses versions other than 1.x itself (the session answers 505).
  EXPECT_EQ(verdict("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), -1);
  EXPECT_EQ(verdict("GET * HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET ftp://x/ HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET http:///healthz HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET http:/healthz HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(verdict("GET /abcdefgh HTTP/1.1\r\nHost: a\r\n\r\n", 8), 414);
  EXPECT_EQ(verdict("GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n"), 417);
}

TEST(HeadChecks, OnlyAnHttp11ClientWaitsForContinue) {
  http::request<http::empty_body, Fields> req{http::verb::post, "/echo", 11};
  auto& head = req.base();
  EXPECT_FALSE(expects_continue(head));
  head.set(http::field::expect, "100-continue");
  EXPECT_TRUE(expects_continue(head));
  head.version(10);
  EXPECT_FALSE(expects_continue(head));
}

TEST(HeadChecks, HandsBackTheSplitTargetOfAnAcceptedHead) {
  RequestParser p;
  boost::system::error_code ec;
  const std::string raw = "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\n\r\n";
  p.put(boost::asio::buffer(raw), ec);
  ASSERT_FALSE(ec);
  Target target;
  ASSERT_FALSE(check_request_head(p.get().base(), {}, &target));
  EXPECT_EQ(target.path, "/a/b");
  EXPECT_EQ(target.query, "x=1");
}

TEST(HeadChecks, RefusesADeclaredBodyPastTheLimit) {
  EXPECT_FALSE(check_declared_length(std::nullopt, {}));
  EXPECT_FALSE(check_declared_length(1 << 20, {}));
  const auto err = check_declared_length((1 << 20) + 1, {});
  ASSERT_TRUE(err);
  EXPECT_EQ(err->status(), http::status::payload_too_large);
  EXPECT_EQ(err->detail(), "the body is 1048577 bytes; the limit (--max-body-bytes) is 1048576");
}

}  // namespace
}  // namespace coroserve
