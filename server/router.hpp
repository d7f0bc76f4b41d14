#pragma once
// (method, path) -> handler. Paths match exactly (no patterns: every
// endpoint here is a fixed path with a query). HEAD is served by the GET
// handler; a known path with an unknown method is 405 with Allow.
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/http_types.hpp"

namespace coroserve {

struct RequestContext;
using Handler = std::function<boost::asio::awaitable<Response>(RequestContext&)>;

struct RouteInfo {
  http::verb method;
  std::string path;
  std::string help;
};

class Router {
 public:
  void add(http::verb method, std::string path, Handler handler, std::string help);

  enum class Outcome { found, not_found, method_not_allowed };
  struct Match {
    Outcome outcome = Outcome::not_found;
    const Handler* handler = nullptr;
    std::string_view allow;  // for 405 and OPTIONS: "GET, HEAD"
    // The route's path, owned by the router: a metrics label with bounded
    // cardinality ("" when nothing matched).
    std::string_view route;
  };
  Match find(http::verb method, std::string_view path) const;

  const std::vector<RouteInfo>& routes() const { return routes_; }

 private:
  struct PathEntry {
    std::vector<std::pair<http::verb, Handler>> methods;
    std::string allow;
  };
  // Transparent hashing so a string_view lookup does not allocate.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, PathEntry, Hash, std::equal_to<>> paths_;
  std::vector<RouteInfo> routes_;
};

}  // namespace coroserve
