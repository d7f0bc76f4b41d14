// Which client a request counts for (--client-key).
#include "server/client_key.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coroserve {
namespace {

Request request_with(std::string_view name = {}, std::string_view value = {}) {
  Request req{http::verb::get, "/cpu/primes", 11};
  if (!name.empty()) req.set(name, value);
  return req;
}

ClientOrigin origin(const char* address, std::uint64_t connection = 7) {
  return {boost::asio::ip::make_address(address), connection};
}

TEST(ClientKey, ParsesTheThreeRules) {
  EXPECT_EQ(parse_client_key_rule("ip")->kind, ClientKeyRule::Kind::ip);
  EXPECT_EQ(parse_client_key_rule("connection")->kind, ClientKeyRule::Kind::connection);
  const auto header = parse_client_key_rule("header:X-Client-Id");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->kind, ClientKeyRule::Kind::header);
  EXPECT_EQ(header->header, "X-Client-Id");
  for (const char* bad : {"", "IP", "peer", "header:", "header:X Client", "header:a:b"}) {
    EXPECT_FALSE(parse_client_key_rule(bad)) << bad;
  }
}

TEST(ClientKey, ThePeerAddressByDefault) {
  const ClientKeyRule ip;
  EXPECT_EQ(client_key(ip, origin("127.0.0.2"), request_with()), "ip:127.0.0.2");
  EXPECT_EQ(client_key(ip, origin("::1"), request_with()), "ip:::1");
  // IPv4 on a dual-stack socket is the same client as over IPv4.
  EXPECT_EQ(client_key(ip, origin("::ffff:10.1.2.3"), request_with()), "ip:10.1.2.3");
  // Without the header rule a header changes nothing: it is not trusted.
  EXPECT_EQ(client_key(ip, origin("127.0.0.2"), request_with("X-Client-Id", "me")), "ip:127.0.0.2");
}

TEST(ClientKey, TheConnection) {
  const auto rule = *parse_client_key_rule("connection");
  EXPECT_EQ(client_key(rule, origin("127.0.0.2", 41), request_with()), "conn:41");
}

TEST(ClientKey, AConfiguredHeaderOrThePeerWhenItIsMissing) {
  const auto rule = *parse_client_key_rule("header:X-Client-Id");
  EXPECT_EQ(client_key(rule, origin("127.0.0.2"), request_with("x-client-id", "tenant-9")),
            "header:tenant-9");
  EXPECT_EQ(client_key(rule, origin("127.0.0.2"), request_with()), "ip:127.0.0.2");
  const std::string longer(1000, 'v');
  EXPECT_EQ(client_key(rule, origin("127.0.0.2"), request_with("X-Client-Id", longer)),
            "header:" + std::string(kMaxClientKeyBytes, 'v'));
}

}  // namespace
}  // namespace coroserve
