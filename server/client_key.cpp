#include "server/client_key.hpp"

namespace coroserve {

namespace {

constexpr std::string_view kHeaderPrefix = "header:";

// An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d: one client, one key.
std::string address_text(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()).to_string();
  }
  return a.to_string();
}

}  // namespace

std::optional<ClientKeyRule> parse_client_key_rule(std::string_view text) {
  if (text == "ip") return ClientKeyRule{ClientKeyRule::Kind::ip, {}};
  if (text == "connection") return ClientKeyRule{ClientKeyRule::Kind::connection, {}};
  if (text.substr(0, kHeaderPrefix.size()) != kHeaderPrefix) return std::nullopt;
  const auto name = text.substr(kHeaderPrefix.size());
  if (name.empty()) return std::nullopt;
  for (const char c : name) {
    // A header name is an RFC 9110 token; anything else could never match.
    if (c <= ' ' || c >= 127 ||
        std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos) {
      return std::nullopt;
    }
  }
  return ClientKeyRule{ClientKeyRule::Kind::header, std::string(name)};
}

std::string client_key(const ClientKeyRule& rule, const ClientOrigin& origin, const Request& req) {
  switch (rule.kind) {
    case ClientKeyRule::Kind::connection:
      return "conn:" + std::to_string(origin.connection);
    case ClientKeyRule::Kind::header:
      if (auto value = req[rule.header]; !value.empty()) {
        return "header:" + std::string(value.substr(0, kMaxClientKeyBytes));
      }
      break;
    case ClientKeyRule::Kind::ip:
      break;
  }
  return "ip:" + address_text(origin.peer);
}

}  // namespace coroserve
