#include "server/router.hpp"

#include <stdexcept>

#include "server/request_target.hpp"

namespace coroserve {

Router::Router(std::span<const Endpoint> table) {
  for (const auto& e : table) add(e);
}

void Router::add(const Endpoint& endpoint) {
  auto& entry = paths_[std::string(endpoint.path)];
  for (const auto* e : entry.methods) {
    if (e->method == endpoint.method) {
      throw std::logic_error("route added twice: " + std::string(endpoint.path));
    }
  }
  entry.methods.push_back(&endpoint);
  // Allow lists every method, plus HEAD wherever GET is, plus OPTIONS.
  std::string allow;
  bool has_get = false;
  for (const auto* e : entry.methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(e->method));
    has_get = has_get || e->method == http::verb::get;
  }
  if (has_get) allow += ", HEAD";
  allow += ", OPTIONS";
  entry.allow = std::move(allow);
}

Router::Match Router::find(http::verb method, std::string_view path) const {
  auto it = paths_.find(path);
  // "/%70laintext" is "/plaintext" (RFC 3986 6.2.2.2); only a miss pays
  // for the decoding.
  if (it == paths_.end() && path.find('%') != std::string_view::npos) {
    it = paths_.find(with_unreserved_decoded(path));
  }
  if (it == paths_.end()) return {};
  const PathEntry& entry = it->second;
  const std::string_view route = it->first;
  const http::verb wanted = method == http::verb::head ? http::verb::get : method;
  for (const auto* e : entry.methods) {
    if (e->method == wanted) return {Outcome::found, e, entry.allow, route};
  }
  return {Outcome::method_not_allowed, nullptr, entry.allow, route};
}

}  // namespace coroserve
