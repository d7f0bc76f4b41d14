#pragma once
// The request target split into its encoded path and query, once per request,
// and the host[:port] syntax a target's authority and a Host field share.
#include <optional>
#include <string>
#include <string_view>

namespace coroserve {

// From origin-form ("/p?q") or absolute-form ("http://host/p?q");
// `asterisk` is set for "*" (OPTIONS only). The views point into the target.
struct Target {
  std::string_view path;
  std::string_view query;
  bool asterisk = false;
  // Absolute-form with neither path nor query ("http://host"): its path
  // reads "/", and an OPTIONS so sent asks about the server as a whole, as
  // OPTIONS * does (RFC 9112 3.2.4).
  bool authority_only = false;
};

// Returns nullopt when the target is none of the accepted forms; an
// absolute-form target needs a valid, non-empty host.
std::optional<Target> split_target(std::string_view target);

// True when `value` is uri-host [":" port] of RFC 3986: a reg-name (which
// may be empty, so ":80" and "" pass), an IPv4 address or a bracketed
// IP-literal, then an optional port of digits (which may be empty). This is
// what a Host field and an http URI's authority must hold; userinfo is
// refused.
bool is_valid_host_port(std::string_view value);

// `path` with every percent-encoded unreserved character (letters, digits,
// "-._~") decoded: RFC 3986 6.2.2.2 makes "/%70laintext" the same resource
// as "/plaintext". Other escapes, "%2F" among them, stay as they are.
std::string with_unreserved_decoded(std::string_view path);

}  // namespace coroserve
