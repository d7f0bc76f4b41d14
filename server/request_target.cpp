#include "server/request_target.hpp"

#include <boost/url/authority_view.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace coroserve {

namespace {

// A table indexed by byte: letters, digits and `others` are in it. Every
// byte of every target and Host value is looked up in one.
constexpr std::array<bool, 256> char_table(std::string_view others) {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               others.find(static_cast<char>(c)) != std::string_view::npos;
  }
  return table;
}

// RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and
// "/" between segments; a query adds "?". '%' is checked apart.
constexpr std::array<bool, 256> kPathChars = char_table("-._~!$&'()*+,;=:@/");

// RFC 3986: reg-name = *( unreserved / pct-encoded / sub-delims ), '%' apart.
constexpr std::array<bool, 256> kRegNameChars = char_table("-._~!$&'()*+,;=");

// RFC 3986: unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~".
constexpr std::array<bool, 256> kUnreservedChars = char_table("-._~");

// The byte "%XY" stands for, or -1 when X or Y is not a hex digit.
int hex_pair(char x, char y) {
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int hi = digit(x), lo = digit(y);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

constexpr bool is_path_char(unsigned char c) {
  return kPathChars[c];
}

constexpr bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The common case without Boost.URL (a third of the parsing cost of a
// small request): "/path?query" of plain characters, split at the first
// '?'. Anything it is unsure about ("//", a '#', a byte outside the
// grammar) is left to Boost.URL; the unit test checks both agree.
std::optional<Target> split_plain_origin_form(std::string_view t) {
  if (t.size() < 1 || t[0] != '/' || (t.size() > 1 && t[1] == '/')) return std::nullopt;
  std::size_t question = std::string_view::npos;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '%') {
      if (i + 2 >= t.size() || !is_hex(t[i + 1]) || !is_hex(t[i + 2])) return std::nullopt;
      i += 2;
    } else if (c == '?') {
      if (question == std::string_view::npos) question = i;
    } else if (!is_path_char(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
  }
  if (question == std::string_view::npos) return Target{t, {}, false};
  return Target{t.substr(0, question), t.substr(question + 1), false};
}

// Boost.URL 1.81 can turn a std::string_view argument into its own
// string_view by way of the characters up to a NUL; pass data and size.
boost::urls::string_view as_url_view(std::string_view s) {
  return {s.data(), s.size()};
}

std::string_view view(boost::urls::pct_string_view s) {
  return {s.data(), s.size()};
}

bool is_http_scheme(std::string_view scheme) {
  std::string s(scheme);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s == "http" || s == "https";
}

// The common Host value, "name" or "name:port" of plain characters, is
// judged here in ~12 ns; Boost.URL's parse_authority takes ~200 ns for it,
// on every request. What this is unsure about ('[', '%', '@', a byte
// outside the grammar) is left to Boost.URL; the unit test checks both agree.
bool is_plain_host_port(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && kRegNameChars[static_cast<unsigned char>(s[i])]) ++i;
  if (i < s.size() && s[i] == ':') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  return i == s.size();
}

// RFC 9110 4.2.1: an http(s) URI with an empty host is invalid (so
// "http:/p" and "http:///p" are refused); its authority is judged as a
// Host value is.
bool has_valid_http_authority(const boost::urls::url_view& u) {
  return u.has_authority() && !u.encoded_host().empty() &&
         is_valid_host_port(view(u.encoded_authority()));
}

std::optional<Target> split_absolute_form(std::string_view target) {
  auto u = boost::urls::parse_absolute_uri(as_url_view(target));
  if (!u || !is_http_scheme(u->scheme()) || !has_valid_http_authority(*u)) return std::nullopt;
  const std::string_view path = view(u->encoded_path());
  if (path.empty()) return Target{"/", u->encoded_query(), false, !u->has_query()};
  return Target{path, u->encoded_query(), false};
}

}  // namespace

bool is_valid_host_port(std::string_view value) {
  if (is_plain_host_port(value)) return true;
  auto a = boost::urls::parse_authority(as_url_view(value));
  // RFC 9110 4.2.4: userinfo in an http(s) URI is to be treated as an
  // error; a Host value has no place for it either.
  return a && !a->has_userinfo();
}

std::optional<Target> split_target(std::string_view target) {
  if (target == "*") return Target{{}, {}, true};
  if (auto simple = split_plain_origin_form(target)) return simple;
  if (!target.empty() && target.front() == '/') {
    auto u = boost::urls::parse_origin_form(as_url_view(target));
    if (!u) return std::nullopt;
    return Target{view(u->encoded_path()), view(u->encoded_query()), false};
  }
  return split_absolute_form(target);
}

std::string with_unreserved_decoded(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    const int c = path[i] == '%' && i + 2 < path.size() ? hex_pair(path[i + 1], path[i + 2]) : -1;
    if (c >= 0 && kUnreservedChars[c]) {
      out += static_cast<char>(c);
      i += 2;
    } else {
      out += path[i];
    }
  }
  return out;
}

}  // namespace coroserve
