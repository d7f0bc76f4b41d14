#pragma once
// The request and response types every part of the server agrees on.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "server/fields_allocator.hpp"

#include <stdexcept>
#include <string>

namespace coroserve {

namespace http = boost::beast::http;
using Fields = http::basic_fields<FieldsAllocator<char>>;
using Request = http::request<http::string_body, Fields>;
using RequestHead = http::request_header<Fields>;
using Response = http::response<http::string_body, Fields>;

// Thrown by handlers and validators; the session turns it into the house's
// JSON error: {"error": error(), "detail": what(), "status": status()}.
class HttpError : public std::runtime_error {
 public:
  HttpError(http::status status, std::string error, const std::string& detail)
      : std::runtime_error(detail), status_(status), error_(std::move(error)), detail_(detail) {}
  http::status status() const { return status_; }
  const std::string& error() const { return error_; }
  // Whole, even if it holds a NUL (what() would stop there).
  const std::string& detail() const { return detail_; }

 private:
  http::status status_;
  std::string error_;
  std::string detail_;
};

}  // namespace coroserve
