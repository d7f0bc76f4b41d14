#pragma once
// Every endpoint of the server in one declarative table: method, path,
// handler, parameters and what it does. The router, GET /, the README's
// endpoint table and the request-path fuzzer all read this one table.
#include <boost/asio/awaitable.hpp>

#include <span>
#include <string>
#include <string_view>

#include "server/http_types.hpp"
#include "server/params.hpp"

namespace coroserve {

struct RequestContext;
using Handler = boost::asio::awaitable<Response> (*)(RequestContext&);

struct Endpoint {
  http::verb method;
  std::string_view path;
  Handler handler;
  ParamTable params;
  std::string_view summary;
  std::string_view kind;  // "ops", "baseline", "I/O" or "CPU": which half of the split
  // Whether the query is checked against `params` before the handler runs.
  // Off only for /plaintext: the cheapest request, for throughput baselines.
  bool checks_query = true;
};

std::span<const Endpoint> endpoints();
// What --admin-port serves: the endpoints of kind "ops" (health, metrics,
// stats, dashboard) and GET /.
std::span<const Endpoint> admin_endpoints();

// The endpoints as the README's table: endpoint, kind, parameters, summary.
std::string endpoints_markdown();

}  // namespace coroserve
