#pragma once
#include <string>
#include <string_view>

namespace coroserve {

// RFC 9110 5.6.2: the characters of a token, such as a method or a field name.
constexpr bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Bytes a client sent, shown between quotes in an error detail or a log
// line: printable ASCII is kept, every other byte (controls, NUL, quotes,
// backslash, non-ASCII) becomes \xHH, the form nginx's access log uses. The
// text then stays one printable line of valid UTF-8 whatever was sent, and is
// never cut at a NUL. More than `max` bytes are cut, with "..." after them.
std::string quote_client_bytes(std::string_view bytes, std::size_t max = 64);

// The same quoting, whole, copying only when a byte needs it: returns `bytes`
// itself, or a view of `storage` holding the quoted form.
std::string_view quote_client_bytes(std::string_view bytes, std::string& storage);

}  // namespace coroserve
