#pragma once
// Small constructors for the responses handlers return. Date, Server and the
// keep-alive decision are added by the session when it writes.
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace coroserve {

Response make_response(http::status status, std::string body, std::string_view content_type);
Response json_response(http::status status, std::string body);
Response error_response(http::status status, std::string_view error, std::string_view detail);

}  // namespace coroserve
