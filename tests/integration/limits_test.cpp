// Every limit gets its status code and a JSON error, the connection closes
// where the framing is broken, and the server keeps serving the next client.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

Config limited_config() {
  Config c = test_config();
  c.max_header_bytes = 1024;
  c.max_url_bytes = 256;
  c.max_body_bytes = 1000;
  c.header_timeout = 300ms;
  c.body_timeout = 300ms;
  c.idle_timeout = 400ms;
  return c;
}

class Limits : public ::testing::Test {
 protected:
  // Sends raw bytes on a fresh connection; expects one JSON error answer with
  // `status`, and then the connection closed by the server.
  void expect_error_and_close(const std::string& raw, unsigned status,
                              const std::string& error_name = "") {
    RawClient c(server.port());
    c.send(raw);
    auto r = c.read_response();
    ASSERT_TRUE(r) << "no response to: " << raw.substr(0, 80);
    EXPECT_EQ(r->result_int(), status) << raw.substr(0, 80) << "\n" << r->body();
    EXPECT_EQ((*r)[http::field::content_type], "application/json");
    auto body = boost::json::parse(r->body()).as_object();
    EXPECT_EQ(body["status"].as_int64(), status);
    EXPECT_FALSE(body["detail"].as_string().empty());
    if (!error_name.empty()) {
      EXPECT_EQ(body["error"].as_string(), error_name);
    }
    EXPECT_EQ((*r)[http::field::connection], "close");
    EXPECT_TRUE(c.closed_by_server()) << raw.substr(0, 80);
    expect_serving(server.port());
  }

  TestServer server{limited_config()};
};

TEST_F(Limits, HeaderTooLargeIs431) {
  expect_error_and_close(get_request("/plaintext", "X-Big: " + std::string(2000, 'a') + "\r\n"),
                         431, "header_too_large");
}

TEST_F(Limits, ManySmallHeadersAlsoCountTowards431) {
  std::string fields;
  for (int i = 0; i < 100; ++i) fields += "X-F" + std::to_string(i) + ": 0123456789\r\n";
  expect_error_and_close(get_request("/plaintext", fields), 431);
}

TEST_F(Limits, UrlTooLongIs414) {
  // Within the header limit, past the URL limit.
  std::string long_query = "/plaintext?";
  long_query.append(400, 'a');
  expect_error_and_close(get_request(long_query), 414, "uri_too_long");
  // Past both: the request line alone tells it is the URL.
  std::string long_path = "/";
  long_path.append(3000, 'a');
  expect_error_and_close(get_request(long_path), 414, "uri_too_long");
}

TEST_F(Limits, BodyTooLargeIs413BeforeReadingIt) {
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n\r\n" + std::string(100, 'x'),
      413, "payload_too_large");
}

TEST_F(Limits, ChunkedBodyTooLargeIs413) {
  std::string chunk = "400\r\n" + std::string(1024, 'x') + "\r\n";
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk, 413);
}

// Chunk extensions count toward the 1,000-byte body limit, with the body.
TEST_F(Limits, ChunkExtensionsCountTowardTheBodyLimit) {
  const std::string chunk = "1;" + std::string(600, 'e') + "\r\nh\r\n";
  expect_error_and_close("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" +
                             chunk + chunk + "0\r\n\r\n",
                         413, "payload_too_large");
  // 900 bytes of body and 200 of extensions: each within 1,000, together past.
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n384\r\n" +
          std::string(900, 'b') + "\r\n1;" + std::string(200, 'e') + "\r\nb\r\n0\r\n\r\n",
      413, "payload_too_large");
  // Within it, they are read and dropped.
  RawClient c(server.port());
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: "
      "chunked\r\n\r\n2;a=b\r\nhi\r\n0\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ(r->body(), "hi");
}

// Only a chunk's size line is held whole before it is parsed; one longer
// than the read buffer is the body's fault, not the header's (431).
TEST_F(Limits, AnOverlongChunkSizeLineIs400) {
  expect_error_and_close("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5;" +
                             std::string(200'000, 'e'),
                         400, "bad_request");
}

TEST_F(Limits, BodyAtTheLimitIsAccepted) {
  RawClient c(server.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'y'));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ(r->body().size(), 1000u);
}

TEST_F(Limits, SlowHeaderIs408ThenClose) {
  RawClient c(server.port());
  c.send("GET /plaintext HTTP/1.1\r\nHost:");  // and then nothing
  auto r = c.read_response(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::request_timeout);
  EXPECT_EQ(boost::json::parse(r->body()).at("error").as_string(), "request_timeout");
  EXPECT_TRUE(c.closed_by_server());
  expect_serving(server.port());
}

TEST_F(Limits, SlowBodyIs408ThenClose) {
  RawClient c(server.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
  auto r = c.read_response(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::request_timeout);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(Limits, IdleKeepAliveConnectionIsClosedQuietly) {
  RawClient c(server.port());
  ASSERT_TRUE(plaintext_served(c));
  EXPECT_TRUE(c.closed_by_server(5s));
  // The idle timeout, not the header one: no 408 for an idle connection.
  EXPECT_TRUE(c.read_until_close(100ms).empty());
}

TEST_F(Limits, ACrlfAfterABodyLeavesTheConnectionIdle) {
  RawClient c(server.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "ab");
  // The CRLF began no request: the connection closes at the idle timeout,
  // with no 408.
  EXPECT_TRUE(c.closed_by_server(5s));
  EXPECT_TRUE(c.read_until_close(100ms).empty());
}

TEST_F(Limits, EmptyLinesAloneAreTimedOutAsAHeader) {
  RawClient c(server.port());
  c.send("\r\n\r\n\r\n");  // and then nothing: skipped, but not forever
  auto r = c.read_response(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::request_timeout);
  EXPECT_TRUE(c.closed_by_server());
}

TEST_F(Limits, ConnectionThatNeverSendsIsClosedAtTheIdleTimeout) {
  RawClient c(server.port());
  EXPECT_TRUE(c.closed_by_server(5s));
}

TEST_F(Limits, MalformedRequestsAre400AndClose) {
  expect_error_and_close("GARBAGE\r\n\r\n", 400);
  expect_error_and_close("GET /plaintext HTTP/1.1\r\nNo colon here\r\n\r\n", 400);
  expect_error_and_close("GET /plaintext HTTP/1.1\r\nHost : t\r\n\r\n", 400);
  expect_error_and_close("GET /plaintext HTTP/1.1\r\n\r\n", 400);  // no Host
  using namespace std::string_literals;                            // "..."s keeps the embedded NUL
  expect_error_and_close("GET /plaintext HTTP/1.1\r\nHost: t\r\nX: a\0b\r\n\r\n"s, 400);
  expect_error_and_close("GET /plaintext HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400);
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
      "Content-Length: 4\r\n\r\nabcd",
      400);
  expect_error_and_close("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc", 400);
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "zz\r\nabc\r\n0\r\n\r\n",
      400);
}

// No request smuggling: every ambiguous framing is refused, and the bytes
// after it are never served as a second request.
TEST_F(Limits, AmbiguousFramingIsRefusedNotSmuggled) {
  const std::string smuggled = "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n";
  for (const std::string te : {"gzip", "chunked, gzip", "identity"}) {
    RawClient c(server.port());
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + te + "\r\n\r\n" + smuggled);
    auto r = c.read_response();
    ASSERT_TRUE(r) << te;
    EXPECT_EQ(r->result(), http::status::bad_request) << te;
    EXPECT_TRUE(c.closed_by_server()) << te;
    EXPECT_THAT(c.read_until_close(100ms), ::testing::Not(HasSubstr("Hello, World!")));
  }
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n"
      "\r\n0\r\n\r\n",
      501);
  expect_error_and_close("POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
  expect_error_and_close(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400);
}

TEST_F(Limits, UnsupportedVersionIs505AndBadExpectIs417) {
  expect_error_and_close("GET /plaintext HTTP/2.0\r\nHost: t\r\n\r\n", 505);
  expect_error_and_close("GET /plaintext HTTP/1.1\r\nHost: t\r\nExpect: x\r\n\r\n", 417);
  // A second line counts as much as the first.
  expect_error_and_close(
      "GET /plaintext HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nExpect: x\r\n\r\n", 417);
  // A bare CR after the version is a broken line, not another version.
  expect_error_and_close("GET /plaintext HTTP/1.1\rHost: t\r\n\r\n", 400);
}

// A TLS handshake (or any bytes no method begins with) sent to the plain
// port is refused at once with 400, not left to the header timeout (408):
// it may never send a line end.
TEST_F(Limits, BytesThatCannotBeginARequestAre400AtOnce) {
  expect_error_and_close(std::string("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03", 11), 400,
                         "bad_request");
}

TEST_F(Limits, ClientClosingMidRequestIsHarmless) {
  for (const std::string partial :
       {"GET /plain", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nab",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"}) {
    RawClient c(server.port());
    c.send(partial);
    c.close();
  }
  expect_serving(server.port());
}

// Each limit bounds its own part of the head: a target within a raised
// --max-url-bytes is served whatever --max-header-bytes says, and fields
// past --max-header-bytes get 431 however short the target.
TEST(HeadLimits, EachLimitBoundsItsOwnPart) {
  Config c = test_config();
  c.max_url_bytes = 64 * 1024;
  c.max_header_bytes = 256;
  TestServer server(c);
  RawClient c1(server.port());
  c1.send(get_request("/plaintext?" + std::string(20'000, 'a')));
  auto r = c1.read_response();
  ASSERT_TRUE(r) << "no answer to a 20 kB target under a 64 KiB --max-url-bytes";
  EXPECT_EQ(r->result(), http::status::ok) << r->body();

  RawClient c2(server.port());
  c2.send(get_request("/plaintext", "X-Big: " + std::string(300, 'a') + "\r\n"));
  r = c2.read_response();
  ASSERT_TRUE(r) << "no answer to 300 bytes of fields under a 256-byte --max-header-bytes";
  EXPECT_EQ(r->result_int(), 431) << r->body();
  EXPECT_THAT(r->body(), HasSubstr("--max-header-bytes (256)"));
  expect_serving(server.port());
}

TEST(MaxConnections, PastTheLimitNewConnectionsGet503) {
  Config cfg = test_config();
  cfg.max_connections = 3;
  TestServer server(cfg);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(plaintext_served(*held.back()));  // accepted and registered
  }
  RawClient extra(server.port());
  const std::string reply = extra.read_until_close(5s);
  EXPECT_THAT(reply, HasSubstr("503 Service Unavailable"));
  EXPECT_THAT(reply, HasSubstr("Retry-After: 1"));
  EXPECT_THAT(reply, HasSubstr("too_many_connections"));
  EXPECT_THAT(reply, ContainsRegex("\r\nX-Request-Id: [0-9a-f]{16}\r\n"));  // made
  // Room again once one closes.
  held.pop_back();
  const auto served_on_a_new_connection = [&] {
    RawClient again(server.port());
    return static_cast<bool>(plaintext_served(again, 2s));
  };
  EXPECT_TRUE(wait_until(served_on_a_new_connection, 5s, "room after a connection closed"));
}

}  // namespace
}  // namespace coroserve::test
