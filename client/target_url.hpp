#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace corobench {

// Where the load goes: one origin (host, port) and a request target.
struct Target {
  std::string url;          // as given, for reports, through shown_url()
  std::string host;         // for the resolver: name or address, IPv6 without brackets
  std::uint16_t port = 80;  // 443 for https:// unless given
  std::string host_header;  // "host" or "host:port", as RFC 9110 §7.2 wants
  std::string target;       // origin-form: "/path?query"
  bool tls = false;         // https://
  bool host_is_ip = false;  // an address literal: no SNI, and verified as an IP
  // "user:password" from the URL (decoded), sent as Basic authorization as
  // curl does; empty when the URL has none.
  std::string credentials;

  // "https://host:port", without a path.
  std::string origin() const { return (tls ? "https://" : "http://") + host_header; }
};

// The URL as reports and messages show it: the secret in its user info (the
// password, or a user given alone, which may be a token) starred out.
std::string shown_url(std::string_view url);

// Parses an absolute http:// or https:// URL with Boost.URL. A URL without a
// scheme ("127.0.0.1:8080/x") is taken as http://. Throws UsageError with the
// reason for anything else (another scheme, no host, a bad port, ...).
Target parse_target(std::string_view url);

// Resolves `ref` (a mix file's URL column) against `base`: an origin-form
// "/path?q" keeps base's origin; an absolute URL must name the same origin,
// since one run talks to one server. Throws UsageError otherwise.
Target resolve_against(const Target& base, std::string_view ref);

}  // namespace corobench
