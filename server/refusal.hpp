#pragma once
// An error answered outside a session: to a connection refused at accept
// (past --max-connections), or to plain HTTP sent to the HTTPS port. No
// request head is parsed there, so there is no client ID to echo: the
// answer carries one the server makes, and closes the connection.
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace coroserve {

struct Refusal {
  std::string request_id;
  std::string wire;  // the whole response, Connection: close
};

Refusal make_refusal(const Response& res, std::string_view date);

}  // namespace coroserve
