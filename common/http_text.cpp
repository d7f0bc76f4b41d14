#include "common/http_text.hpp"

#include <algorithm>

namespace coroserve {

namespace {

bool shown_as_is(unsigned char c) {
  return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '\'';
}

void append_quoted(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const unsigned char c : bytes) {
    if (shown_as_is(c)) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
}

}  // namespace

std::string quote_client_bytes(std::string_view bytes, std::size_t max) {
  std::string out;
  const auto shown = bytes.substr(0, max);
  out.reserve(shown.size() + 8);
  append_quoted(out, shown);
  if (bytes.size() > max) out += "...";
  return out;
}

std::string_view quote_client_bytes(std::string_view bytes, std::string& storage) {
  const auto as_is = [](char c) { return shown_as_is(static_cast<unsigned char>(c)); };
  if (std::all_of(bytes.begin(), bytes.end(), as_is)) return bytes;
  append_quoted(storage, bytes);
  return storage;
}

}  // namespace coroserve
