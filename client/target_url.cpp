#include "client/target_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <charconv>

#include "client/errors.hpp"

namespace corobench {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string origin_form(const boost::urls::url_view& u) {
  const std::string_view path = u.encoded_path();
  if (!u.has_query()) return path.empty() ? std::string("/") : std::string(path);
  const std::string_view query = u.encoded_query();
  // Concatenated in one go: GCC 12 warns falsely (-Wstringop-overflow) on +=.
  return std::string(path.empty() ? "/" : path) + "?" + std::string(query);
}

// Boost.URL accepts any digits as a port; a TCP port is 1..65535.
std::uint16_t parse_port(std::string_view ps, const std::string& url) {
  unsigned long port = 0;
  const auto [ptr, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ps.empty() || ec != std::errc{} || ptr != ps.data() + ps.size() || port == 0 ||
      port > 65535) {
    throw UsageError("URL '" + url + "' has an invalid port '" + std::string(ps) + "'");
  }
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::string shown_url(std::string_view url) {
  const std::size_t sep = url.find("://");
  const std::size_t start = sep == std::string_view::npos ? 0 : sep + 3;
  const std::size_t end = url.find_first_of("/?#", start);
  const std::size_t at = url.substr(0, end).rfind('@');
  if (at == std::string_view::npos || at < start) return std::string(url);
  // A password after the user's colon; a user alone may be a token.
  const std::size_t colon = url.substr(0, at).find(':', start);
  const std::size_t from = colon == std::string_view::npos ? start : colon + 1;
  return std::string(url.substr(0, from)) + "***" + std::string(url.substr(at));
}

Target parse_target(std::string_view url) {
  const std::string shown = shown_url(url);
  std::string text(url);
  if (text.find("://") == std::string::npos) text = "http://" + text;
  auto parsed = boost::urls::parse_uri(text);
  if (!parsed) {
    throw UsageError("invalid URL '" + shown + "': " + parsed.error().message());
  }
  const boost::urls::url_view u = *parsed;
  const std::string scheme = lower(u.scheme());
  if (scheme != "http" && scheme != "https") {
    throw UsageError("unsupported scheme '" + scheme + "' in '" + shown +
                     "'; use http:// or https://");
  }
  if (!u.has_authority() || u.encoded_host().empty()) {
    throw UsageError("URL '" + shown + "' has no host");
  }
  Target t;
  t.url = shown;
  if (!u.encoded_userinfo().empty()) t.credentials = u.user() + ":" + u.password();
  t.tls = scheme == "https";
  t.port = t.tls ? 443 : 80;
  t.host_is_ip = u.host_type() == boost::urls::host_type::ipv4 ||
                 u.host_type() == boost::urls::host_type::ipv6;
  if (u.host_type() == boost::urls::host_type::ipv6) {
    t.host = u.host_ipv6_address().to_string();
  } else {
    t.host = std::string(u.encoded_host());
  }
  if (u.has_port()) t.port = parse_port(u.port(), shown);
  t.host_header = std::string(u.encoded_host_and_port());
  t.target = origin_form(u);
  return t;
}

Target resolve_against(const Target& base, std::string_view ref) {
  if (!ref.empty() && ref.front() == '/') {
    auto parsed = boost::urls::parse_origin_form(ref);
    if (!parsed) {
      throw UsageError("invalid request target '" + std::string(ref) +
                       "': " + parsed.error().message());
    }
    Target t = base;
    t.url = base.origin() + std::string(ref);
    t.target = origin_form(*parsed);
    return t;
  }
  Target t = parse_target(ref);
  if (t.host != base.host || t.port != base.port || t.tls != base.tls) {
    throw UsageError("URL '" + std::string(ref) + "' names another server than '" + base.url +
                     "'; a run targets one origin (use a path like /x instead)");
  }
  return t;
}

}  // namespace corobench
