#include "common/json_error.hpp"

#include <boost/json.hpp>

namespace coroserve {

std::string json_error_body(unsigned status, std::string_view error, std::string_view detail) {
  boost::json::object o;
  o["error"] = error;
  o["detail"] = detail;
  o["status"] = status;
  std::string s = boost::json::serialize(o);
  s += '\n';
  return s;
}

std::string quote_client_bytes(std::string_view bytes, std::size_t max) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const auto shown = bytes.substr(0, max);
  out.reserve(shown.size() + 8);
  for (unsigned char c : shown) {
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

}  // namespace coroserve
