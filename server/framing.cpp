#include "server/framing.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>
#include <vector>

namespace coroserve {

namespace {

// RFC 3986: pchar = unreserved / pct-encoded / sub-delims / ":" / "@", and
// "/" between segments; a query adds "?". '%' is checked apart.
constexpr bool is_path_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-._~!$&'()*+,;=:@/").find(static_cast<char>(c)) !=
             std::string_view::npos;
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

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Field values may hold visible characters, spaces and tabs only. A CR or LF
// inside a value is what an obs-fold line leaves behind in Beast 1.81.
bool has_bad_value_bytes(std::string_view v) {
  return std::any_of(v.begin(), v.end(),
                     [](unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; });
}

// Boost.URL 1.81 can turn a std::string_view argument into its own
// string_view by way of the characters up to a NUL; pass data and size.
boost::urls::string_view as_url_view(std::string_view s) {
  return {s.data(), s.size()};
}

std::string_view view(boost::urls::pct_string_view s) {
  return {s.data(), s.size()};
}

FramingError bad(std::string detail) {
  return {http::status::bad_request, "bad_request", std::move(detail)};
}

}  // namespace

std::optional<FramingError> check_request_head(const http::request_header<>& head,
                                               const FramingLimits& limits, Target* target_out) {
  const unsigned version = head.version();
  if (version / 10 != 1) {
    return FramingError{http::status::http_version_not_supported, "http_version_not_supported",
                        "only HTTP/1.0 and HTTP/1.1 are served"};
  }
  if (head.target().size() > limits.max_url_bytes) {
    return FramingError{http::status::uri_too_long, "uri_too_long",
                        "the request target is " + std::to_string(head.target().size()) +
                            " bytes; the limit (--max-url-bytes) is " +
                            std::to_string(limits.max_url_bytes)};
  }

  std::size_t hosts = 0, lengths = 0;
  std::vector<std::string> codings;
  bool has_te = false;
  for (const auto& f : head) {
    if (has_bad_value_bytes(f.value())) {
      return bad("header '" + std::string(f.name_string()) +
                 "' holds a control character or a folded line (obs-fold)");
    }
    switch (f.name()) {
      case http::field::host:
        ++hosts;
        break;
      case http::field::content_length:
        ++lengths;
        // Beast takes "1, 1" as 1; a list here is ambiguous framing to us.
        if (f.value().empty() ||
            !std::all_of(f.value().begin(), f.value().end(),
                         [](unsigned char c) { return std::isdigit(c) != 0; })) {
          return bad("Content-Length must be one decimal number");
        }
        break;
      case http::field::transfer_encoding: {
        has_te = true;
        std::string_view list = f.value();
        while (!list.empty()) {
          const auto comma = list.find(',');
          auto token = trim(list.substr(0, comma));
          if (!token.empty()) codings.push_back(lower(token));
          list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        }
        break;
      }
      default:
        break;
    }
  }

  if (version == 11 && hosts == 0) return bad("an HTTP/1.1 request must carry a Host header");
  if (hosts > 1) return bad("more than one Host header");
  if (lengths > 1) return bad("more than one Content-Length header");

  if (has_te) {
    if (version == 10) {
      return bad("Transfer-Encoding is not defined for HTTP/1.0: the body length is ambiguous");
    }
    if (lengths > 0) return bad("both Content-Length and Transfer-Encoding are present");
    if (codings.empty()) return bad("Transfer-Encoding is empty");
    if (codings.back() != "chunked") {
      return bad("the last transfer coding is not chunked: the body length cannot be determined");
    }
    if (std::count(codings.begin(), codings.end(), "chunked") > 1) {
      return bad("chunked is applied more than once");
    }
    if (codings.size() > 1) {
      return FramingError{
          http::status::not_implemented, "unsupported_transfer_coding",
          "only the chunked transfer coding is supported, got '" + codings.front() + "'"};
    }
  }

  if (auto expect = head.find(http::field::expect); expect != head.end()) {
    if (lower(trim(expect->value())) != "100-continue") {
      return FramingError{http::status::expectation_failed, "expectation_failed",
                          "only 'Expect: 100-continue' is supported"};
    }
  }

  auto target = split_target(head.target());
  if (!target) return bad("the request target is not in origin-form or absolute-form");
  if (target_out != nullptr) *target_out = *target;
  if (target->asterisk && head.method() != http::verb::options) {
    return bad("the asterisk-form target '*' is only for OPTIONS");
  }
  return std::nullopt;
}

std::optional<Target> split_target(std::string_view target) {
  if (target == "*") return Target{{}, {}, true};
  if (auto simple = split_plain_origin_form(target)) return simple;
  if (!target.empty() && target.front() == '/') {
    auto u = boost::urls::parse_origin_form(as_url_view(target));
    if (!u) return std::nullopt;
    return Target{view(u->encoded_path()), view(u->encoded_query()), false};
  }
  auto u = boost::urls::parse_absolute_uri(as_url_view(target));
  // RFC 9110 4.2.4: userinfo in an http(s) URI is to be treated as an error.
  if (!u || u->has_userinfo()) return std::nullopt;
  const auto scheme = lower(u->scheme());
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view path = view(u->encoded_path());
  if (path.empty()) path = "/";
  return Target{path, u->encoded_query(), false};
}

bool request_line_too_long(std::string_view received, std::size_t max_url_bytes) {
  const auto eol = received.find('\n');
  const std::size_t line = eol == std::string_view::npos ? received.size() : eol;
  // "METHOD SP target SP HTTP/1.1": allow room for the method and version.
  return line > max_url_bytes + 32;
}

}  // namespace coroserve
