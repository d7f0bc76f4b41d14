#include "server/router.hpp"

#include <stdexcept>

namespace coroserve {

void Router::add(http::verb method, std::string path, Handler handler, std::string help) {
  auto& entry = paths_[path];
  for (const auto& [m, h] : entry.methods) {
    if (m == method) throw std::logic_error("route added twice: " + path);
  }
  entry.methods.emplace_back(method, std::move(handler));
  // Allow lists every method, plus HEAD wherever GET is, plus OPTIONS.
  std::string allow;
  bool has_get = false;
  for (const auto& [m, h] : entry.methods) {
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(m));
    has_get = has_get || m == http::verb::get;
  }
  if (has_get) allow += ", HEAD";
  allow += ", OPTIONS";
  entry.allow = std::move(allow);
  routes_.push_back({method, std::move(path), std::move(help)});
}

Router::Match Router::find(http::verb method, std::string_view path) const {
  auto it = paths_.find(path);
  if (it == paths_.end()) return {};
  const PathEntry& entry = it->second;
  const std::string_view route = it->first;
  const http::verb wanted = method == http::verb::head ? http::verb::get : method;
  for (const auto& [m, h] : entry.methods) {
    if (m == wanted) return {Outcome::found, &h, entry.allow, route};
  }
  return {Outcome::method_not_allowed, nullptr, entry.allow, route};
}

}  // namespace coroserve
