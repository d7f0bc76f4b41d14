#pragma once
// Serializes a handler's Response straight into a byte string, with the
// fields every response carries (Server, Date, X-Request-Id, Connection,
// Content-Length) written here rather than stored as fields first: on the
// hot path this replaces Beast's serializer and six field allocations with
// one append into a buffer the connection reuses.
#include <string>
#include <string_view>

#include "server/http_types.hpp"

namespace coroserve {

// How a response is framed on this connection.
struct ResponseFraming {
  std::string_view date;           // the cached IMF-fixdate
  std::string_view request_id;     // echoed as X-Request-Id; empty: none
  bool head_only = false;          // HEAD: the GET header, Content-Length included, no body
  bool close = false;              // Connection: close, the connection ends after it
  bool http10_keep_alive = false;  // an HTTP/1.0 client asked to keep the connection
};

// The value of the Server field, "coroserve/<version>".
std::string_view server_header();

// Whether the status forbids a body and a Content-Length (1xx, 204, 304).
bool status_has_no_body(unsigned status);

// Appends the status line and header fields of `res`, ending with the empty
// line. The body is not appended: the caller writes it beside the head.
void append_response_head(std::string& out, const Response& res, const ResponseFraming& framing);

// The bytes of the body that go on the wire (none for HEAD or a bodiless status).
std::string_view wire_body(const Response& res, const ResponseFraming& framing);

// Appends head and body: the whole response as it goes on the wire.
void append_response(std::string& out, const Response& res, const ResponseFraming& framing);

}  // namespace coroserve
