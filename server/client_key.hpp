#pragma once
// Which client a request counts for, in the worker pool's turns and its
// per-client cap: the peer address (the default), the connection, or a
// header set by a load balancer in front (trusted only when configured,
// since any client can send any header).
#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace coroserve {

struct ClientKeyRule {
  enum class Kind { ip, connection, header };
  Kind kind = Kind::ip;
  std::string header;  // Kind::header: the header's name
};

// "ip", "connection" or "header:NAME"; nullopt for anything else.
std::optional<ClientKeyRule> parse_client_key_rule(std::string_view text);

// What the server knows of a request's client apart from the request.
struct ClientOrigin {
  boost::asio::ip::address peer;
  std::uint64_t connection = 0;
};

// Longer header values are cut here: the key is a table index, not an identity.
inline constexpr std::size_t kMaxClientKeyBytes = 128;

// The request's client key: "ip:ADDR", "conn:ID" or "header:VALUE"; a
// request without the configured header counts for its peer address.
std::string client_key(const ClientKeyRule& rule, const ClientOrigin& origin, const Request& req);

}  // namespace coroserve
