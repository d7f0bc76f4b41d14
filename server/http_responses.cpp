#include "server/http_responses.hpp"

#include "common/json_error.hpp"

namespace coroserve {

Response make_response(http::status status, std::string body, std::string_view content_type) {
  Response res{status, 11};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  return res;
}

Response json_response(http::status status, std::string body) {
  return make_response(status, std::move(body), "application/json");
}

Response error_response(http::status status, std::string_view error, std::string_view detail) {
  return json_response(status, json_error_body(static_cast<unsigned>(status), error, detail));
}

}  // namespace coroserve
