// HTTP/1.1 over real TCP against an in-process coroserve: keep-alive,
// pipelining, HEAD, bodies, HTTP/1.0, routing errors and the standard headers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <utility>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class HttpProtocol : public ::testing::Test {
 protected:
  TestServer server;
};

TEST_F(HttpProtocol, PlaintextHasTheStandardHeaders) {
  auto r = http_get(server.port(), "/plaintext");
  EXPECT_EQ(r.result(), http::status::ok);
  EXPECT_EQ(r.body(), "Hello, World!");
  EXPECT_EQ(r[http::field::content_type], "text/plain");
  EXPECT_EQ(r[http::field::content_length], "13");
  EXPECT_THAT(std::string(r[http::field::server]), HasSubstr("coroserve/"));
  EXPECT_THAT(std::string(r[http::field::date]), HasSubstr(" GMT"));
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff");
}

TEST_F(HttpProtocol, KeepAliveReusesTheConnection) {
  RawClient c(server.port());
  for (int i = 0; i < 5; ++i) {
    c.send(get_request("/plaintext"));
    auto r = c.read_response();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->result(), http::status::ok);
    EXPECT_TRUE(r->keep_alive());
  }
}

TEST_F(HttpProtocol, PipelinedResponsesComeInOrder) {
  RawClient c(server.port());
  // The slow one first: its answer must still come first.
  c.send(get_request("/io/sleep?ms=50") + get_request("/plaintext") + get_request("/healthz") +
         get_request("/nope") + get_request("/io/fanout?n=3&ms=10"));
  auto a = c.read_response();
  auto b = c.read_response();
  auto d = c.read_response();
  auto e = c.read_response();
  auto f = c.read_response();
  ASSERT_TRUE(a && b && d && e && f);
  EXPECT_THAT(a->body(), HasSubstr("slept_us"));
  EXPECT_EQ(b->body(), "Hello, World!");
  EXPECT_THAT(d->body(), HasSubstr("\"ok\""));
  EXPECT_EQ(e->result(), http::status::not_found);
  EXPECT_THAT(f->body(), HasSubstr("\"n\":3"));
}

TEST_F(HttpProtocol, ManyPipelinedRequestsInOneWrite) {
  RawClient c(server.port());
  std::string burst;
  for (int i = 0; i < 200; ++i) burst += get_request("/plaintext");
  c.send(burst);
  for (int i = 0; i < 200; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << "response " << i;
    ASSERT_EQ(r->body(), "Hello, World!");
  }
}

// RFC 9112 §2.2: empty lines before a request line are ignored. Some
// clients send a CRLF after a POST body; the request after it is served.
TEST_F(HttpProtocol, EmptyLinesBeforeARequestLineAreIgnored) {
  RawClient c(server.port());
  c.send("\r\n\r\n" + get_request("/plaintext"));
  auto first = c.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result(), http::status::ok);
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nab\r\n" +
         get_request("/plaintext"));
  auto echoed = c.read_response();
  auto after = c.read_response();
  ASSERT_TRUE(echoed && after);
  EXPECT_EQ(echoed->body(), "ab");
  EXPECT_EQ(after->result(), http::status::ok);
  // A CRLF on its own, then the request in a later write.
  c.send("\r\n");
  c.send(get_request("/healthz"));
  auto last = c.read_response();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->result(), http::status::ok);
}

TEST_F(HttpProtocol, HeadHasTheHeaderOfGetAndNoBody) {
  RawClient c(server.port());
  c.send("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  auto r = c.read_response(5s, /*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ((*r)[http::field::content_length], "13");
  EXPECT_TRUE(r->body().empty());
  // No stray body bytes: the next response parses cleanly.
  c.send(get_request("/healthz"));
  auto next = c.read_response();
  ASSERT_TRUE(next);
  EXPECT_THAT(next->body(), HasSubstr("ok"));
}

TEST_F(HttpProtocol, EchoesContentLengthAndChunkedBodies) {
  RawClient c(server.port());
  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/x-test\r\n"
      "Content-Length: 11\r\n\r\nhello world");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "hello world");
  EXPECT_EQ((*r)[http::field::content_type], "text/x-test");

  c.send(
      "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nchunk\r\n0\r\nX-Trailer: yes\r\n\r\n");
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ(r->body(), "hello chunk");
  EXPECT_EQ((*r)[http::field::content_type], "application/octet-stream");
  // The connection is still in step.
  c.send(get_request("/plaintext"));
  ASSERT_TRUE(c.read_response());
}

TEST_F(HttpProtocol, ExpectContinueGetsAnInterimResponse) {
  RawClient c(server.port());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  auto interim = c.read_response(5s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result(), http::status::continue_);
  c.send("ping");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_EQ(r->body(), "ping");
  // OPTIONS' 204 is no refusal: the body is invited and read.
  c.send("OPTIONS /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  interim = c.read_response(5s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->result(), http::status::continue_);
  c.send("ping");
  r = c.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::no_content);
  EXPECT_EQ((*r)[http::field::allow], "POST, OPTIONS");
}

// A request refused on its head (by the router, or for its query) gets the
// refusal instead of the 100, and the body is never read: the connection
// closes, or the body would be taken for the next request.
TEST_F(HttpProtocol, ExpectContinueOnARefusedRequestGetsTheRefusalAtOnce) {
  const std::pair<std::string, http::status> refused[] = {
      {"PUT /echo", http::status::method_not_allowed},
      {"POST /nope", http::status::not_found},
      {"BREW /echo", http::status::not_implemented},
      {"POST /echo?unknown=1", http::status::bad_request},
  };
  for (const auto& [request, status] : refused) {
    SCOPED_TRACE(request);
    RawClient c(server.port());
    c.send(request + " HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    auto r = c.read_response(5s);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->result(), status);
    EXPECT_EQ((*r)[http::field::connection], "close");
    EXPECT_TRUE(c.closed_by_server());
  }
  // Without Expect the body is read, and the connection stays in step.
  RawClient c(server.port());
  c.send("PUT /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  auto r = c.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::method_not_allowed);
  EXPECT_NE((*r)[http::field::connection], "close");
  c.send(get_request("/plaintext"));
  r = c.read_response(5s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "Hello, World!");
}

// Whether a connection stays open after its answer: HTTP/1.1 unless asked
// to close, HTTP/1.0 only when asked to stay, and "close" wins in any
// version (RFC 9112 §9.3). The options are one list over every Connection
// line (RFC 9110 §7.6.1).
struct Persistence {
  const char* request;
  const char* connection;  // the answer's Connection field, "" for none
  bool stays_open;
};

TEST_F(HttpProtocol, ConnectionLinesDecideWhetherTheConnectionStaysOpen) {
  const Persistence cases[] = {
      {"GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n", "", true},
      {"GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", "close", false},
      {"GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
       "close", false},
      {"GET /plaintext HTTP/1.0\r\n\r\n", "close", false},
      {"GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "keep-alive", true},
      {"GET /plaintext HTTP/1.0\r\nConnection: x-trace\r\nConnection: keep-alive\r\n\r\n",
       "keep-alive", true},
      {"GET /plaintext HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", "close", false},
      {"GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", "close",
       false},
  };
  for (const Persistence& p : cases) {
    SCOPED_TRACE(p.request);
    RawClient c(server.port());
    c.send(p.request);
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body(), "Hello, World!");
    EXPECT_EQ((*r)[http::field::connection], p.connection);
    if (p.stays_open) {
      c.send(p.request);
      EXPECT_TRUE(c.read_response());
    } else {
      EXPECT_TRUE(c.closed_by_server());
    }
  }
}

TEST_F(HttpProtocol, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  auto r = http_get(server.port(), "/no/such/thing");
  EXPECT_EQ(r.result(), http::status::not_found);
  auto body = boost::json::parse(r.body()).as_object();
  EXPECT_EQ(body["status"].as_int64(), 404);
  EXPECT_EQ(body["error"].as_string(), "not_found");
  EXPECT_EQ(r[http::field::content_type], "application/json");

  RawClient c(server.port());
  c.send("DELETE /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  auto m = c.read_response();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->result(), http::status::method_not_allowed);
  EXPECT_EQ((*m)[http::field::allow], "GET, HEAD, OPTIONS");
  EXPECT_EQ(boost::json::parse(m->body()).at("status").as_int64(), 405);

  c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
  m = c.read_response();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->result(), http::status::method_not_allowed);
  EXPECT_EQ((*m)[http::field::allow], "POST, OPTIONS");

  c.send("OPTIONS /echo HTTP/1.1\r\nHost: t\r\n\r\n");
  m = c.read_response();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->result(), http::status::no_content);
  EXPECT_EQ((*m)[http::field::allow], "POST, OPTIONS");

  c.send("BREW /plaintext HTTP/1.1\r\nHost: t\r\n\r\n");
  m = c.read_response();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->result(), http::status::not_implemented);
}

// RFC 3986 6.2.2.2: an encoded unreserved character is the character
// itself; an encoded "/" is not a path separator.
TEST_F(HttpProtocol, EncodedUnreservedCharactersInAPathAreDecoded) {
  const auto r = http_get(server.port(), "/%70lain%74ext");
  EXPECT_EQ(r.result(), http::status::ok);
  EXPECT_EQ(r.body(), "Hello, World!");
  EXPECT_EQ(http_get(server.port(), "/io%2Fsleep").result(), http::status::not_found);
}

TEST_F(HttpProtocol, AbsoluteFormTargetsAreServed) {
  RawClient c(server.port());
  c.send("GET http://example.test/plaintext HTTP/1.1\r\nHost: example.test\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "Hello, World!");
}

// RFC 9112 3.2 (an invalid Host value) and RFC 9110 4.2.1 (an http URI
// with an empty host): 400 with the JSON error, then close.
TEST_F(HttpProtocol, InvalidHostsAreRefused) {
  for (const std::string request : {"GET /healthz HTTP/1.1\r\nHost: a b\r\n\r\n",
                                    "GET http:///healthz HTTP/1.1\r\nHost: t\r\n\r\n"}) {
    RawClient c(server.port());
    c.send(request);
    auto r = c.read_response();
    ASSERT_TRUE(r) << request;
    EXPECT_EQ(r->result(), http::status::bad_request) << request;
    EXPECT_EQ((*r)[http::field::content_type], "application/json");
    auto body = boost::json::parse(r->body()).as_object();
    EXPECT_EQ(body["status"].as_int64(), 400);
    EXPECT_EQ(body["error"].as_string(), "bad_request");
    EXPECT_TRUE(c.closed_by_server()) << request;
  }
}

TEST_F(HttpProtocol, InfoListsTheEndpoints) {
  auto r = http_get(server.port(), "/");
  ASSERT_EQ(r.result(), http::status::ok);
  auto o = boost::json::parse(r.body()).as_object();
  EXPECT_EQ(o["name"].as_string(), "coroserve");
  EXPECT_EQ(o["workers"].as_int64(), 2);
  std::vector<std::string> paths;
  for (auto& e : o["endpoints"].as_array()) {
    paths.emplace_back(e.at("path").as_string());
  }
  EXPECT_THAT(paths, ::testing::IsSupersetOf({"/", "/healthz", "/readyz", "/plaintext", "/io/sleep",
                                              "/io/fanout", "/echo", "/cpu/primes", "/cpu/hash",
                                              "/cpu/mandelbrot"}));
}

}  // namespace
}  // namespace coroserve::test
