#include "server/response_writer.hpp"

#include <gtest/gtest.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/http_responses.hpp"

namespace coroserve {
namespace {

constexpr std::string_view kDate = "Wed, 25 Nov 2026 11:00:00 GMT";

std::string wire(const Response& res, ResponseFraming framing) {
  std::string out;
  append_response(out, res, framing);
  return out;
}

// Parses bytes as a client would (Beast's response parser), checking that
// they hold exactly one whole response.
http::response<http::string_body> parse(const std::string& bytes, bool head_request = false) {
  http::response_parser<http::string_body> p;
  p.eager(true);  // header and body in one put()
  p.skip(head_request);
  boost::system::error_code ec;
  const auto used = p.put(boost::asio::buffer(bytes), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_TRUE(p.is_done());
  EXPECT_EQ(used, bytes.size()) << "bytes left after the response";
  return p.release();
}

TEST(ResponseWriter, WritesTheWholeResponseWithTheHouseFields) {
  const auto res = make_response(http::status::ok, "Hello, World!", "text/plain");
  const auto bytes = wire(res, {kDate, "abc123", false, false, false});
  EXPECT_EQ(bytes, "HTTP/1.1 200 OK\r\nServer: " + std::string(server_header()) +
                       "\r\nDate: " + std::string(kDate) +
                       "\r\nContent-Type: text/plain\r\nX-Content-Type-Options: nosniff\r\n"
                       "X-Request-Id: abc123\r\nContent-Length: 13\r\n\r\nHello, World!");
  const auto parsed = parse(bytes);
  EXPECT_EQ(parsed.body(), "Hello, World!");
  EXPECT_TRUE(parsed.keep_alive());
}

TEST(ResponseWriter, HeadGetsTheLengthOfTheBodyButNotTheBody) {
  const auto res = make_response(http::status::ok, std::string(1000, 'x'), "text/plain");
  const ResponseFraming framing{kDate, "id", /*head_only=*/true, false, false};
  const auto bytes = wire(res, framing);
  EXPECT_NE(bytes.find("Content-Length: 1000\r\n"), std::string::npos);
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "\r\n\r\n");
  EXPECT_TRUE(wire_body(res, framing).empty());
  parse(bytes, /*head_request=*/true);
}

TEST(ResponseWriter, BodilessStatusesGetNoLengthAndNoBody) {
  for (auto status :
       {http::status::no_content, http::status::not_modified, http::status::continue_}) {
    Response res{status, 11};
    res.body() = "must not be sent";
    const ResponseFraming framing{kDate, "", false, false, false};
    const auto bytes = wire(res, framing);
    EXPECT_EQ(bytes.find("Content-Length"), std::string::npos) << bytes;
    EXPECT_EQ(bytes.substr(bytes.size() - 4), "\r\n\r\n") << bytes;
    EXPECT_TRUE(wire_body(res, framing).empty());
  }
}

TEST(ResponseWriter, TellsTheClientWhetherTheConnectionStays) {
  const auto res = make_response(http::status::ok, "x", "text/plain");
  const auto closing = wire(res, {kDate, "", false, /*close=*/true, false});
  EXPECT_NE(closing.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_FALSE(parse(closing).keep_alive());
  const auto http10 = wire(res, {kDate, "", false, false, /*http10_keep_alive=*/true});
  EXPECT_NE(http10.find("\r\nConnection: keep-alive\r\n"), std::string::npos);
  const auto plain = wire(res, {kDate, "", false, false, false});
  EXPECT_EQ(plain.find("Connection:"), std::string::npos);
  EXPECT_EQ(plain.find("X-Request-Id"), std::string::npos);  // none given: none sent
}

// The framing on the wire is the writer's: a handler's own Content-Length,
// Transfer-Encoding, Connection or X-Request-Id would contradict it.
TEST(ResponseWriter, FramingFieldsOfTheHandlerAreNotSent) {
  auto res = make_response(http::status::ok, "abc", "text/plain");
  res.set(http::field::content_length, "999");
  res.set(http::field::transfer_encoding, "chunked");
  res.set(http::field::connection, "upgrade");
  res.set("x-request-id", "forged");
  res.set(http::field::allow, "GET");
  const auto bytes = wire(res, {kDate, "real", false, false, false});
  EXPECT_EQ(bytes.find("999"), std::string::npos);
  EXPECT_EQ(bytes.find("chunked"), std::string::npos);
  EXPECT_EQ(bytes.find("upgrade"), std::string::npos);
  EXPECT_EQ(bytes.find("forged"), std::string::npos);
  EXPECT_NE(bytes.find("\r\nAllow: GET\r\n"), std::string::npos);
  EXPECT_EQ(parse(bytes).body(), "abc");
}

TEST(ResponseWriter, AppendsAfterWhatIsAlreadyPending) {
  const auto a = make_response(http::status::ok, "first", "text/plain");
  const auto b = error_response(http::status::not_found, "not_found", "nothing here");
  std::string out;
  append_response(out, a, {kDate, "1", false, false, false});
  const auto first = out.size();
  append_response(out, b, {kDate, "2", false, false, false});
  EXPECT_EQ(parse(out.substr(0, first)).body(), "first");
  const auto second = parse(out.substr(first));
  EXPECT_EQ(second.result(), http::status::not_found);
  EXPECT_EQ(second[http::field::content_type], "application/json");
}

}  // namespace
}  // namespace coroserve
