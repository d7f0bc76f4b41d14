#pragma once
// (method, path) -> endpoint. Paths match exactly, once encoded unreserved
// characters are decoded ("/%70laintext" is "/plaintext"; no patterns: every
// endpoint here is a fixed path with a query). HEAD is served by the GET
// handler; a known path with an unknown method is 405 with Allow.
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/endpoints.hpp"

namespace coroserve {

class Router {
 public:
  explicit Router(std::span<const Endpoint> table);

  enum class Outcome { found, not_found, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Endpoint* endpoint = nullptr;
    std::string_view allow;  // for 405 and OPTIONS: "GET, HEAD, OPTIONS"
    // The route's path, owned by the router: a metrics label with bounded
    // cardinality ("" when nothing matched).
    std::string_view route;
  };
  Match find(http::verb method, std::string_view path) const;

 private:
  struct PathEntry {
    std::vector<const Endpoint*> methods;
    std::string allow;
  };
  void add(const Endpoint& endpoint);
  // Transparent hashing so a string_view lookup does not allocate.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, PathEntry, Hash, std::equal_to<>> paths_;
};

}  // namespace coroserve
