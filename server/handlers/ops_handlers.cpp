// Endpoints for people and orchestrators: what is this server, is it alive,
// should it get traffic, and the cheapest possible answer for baselines.
#include <boost/json.hpp>

#include "common/version.hpp"
#include "server/handlers/handlers.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"

namespace coroserve {

namespace {

boost::asio::awaitable<Response> info(RequestContext& ctx) {
  ctx.query.allow_only({});
  const auto& s = ctx.server;
  boost::json::array endpoints;
  for (const auto& r : s.router.routes()) {
    endpoints.push_back(
        {{"method", std::string(http::to_string(r.method))}, {"path", r.path}, {"help", r.help}});
  }
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - s.started)
          .count();
  boost::json::object o{{"name", kName},
                        {"version", kVersion},
                        {"workers", s.pool.threads()},
                        {"queue", s.pool.max_queue()},
                        {"cpu_on_loop", s.config.cpu_on_loop},
                        {"uptime_s", uptime},
                        {"endpoints", std::move(endpoints)}};
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

boost::asio::awaitable<Response> healthz(RequestContext& ctx) {
  ctx.query.allow_only({});
  co_return json_response(http::status::ok, "{\"status\":\"ok\"}\n");
}

// Readiness fails first when draining, so a load balancer stops sending new
// requests while the ones in flight finish.
boost::asio::awaitable<Response> readyz(RequestContext& ctx) {
  ctx.query.allow_only({});
  if (ctx.server.draining) {
    co_return json_response(http::status::service_unavailable, "{\"status\":\"draining\"}\n");
  }
  co_return json_response(http::status::ok, "{\"status\":\"ready\"}\n");
}

boost::asio::awaitable<Response> plaintext(RequestContext&) {
  co_return make_response(http::status::ok, "Hello, World!", "text/plain");
}

// Prometheus text format, built at scrape time from loop-local counters and
// the pool's atomics: nothing on the request path takes a lock for it.
boost::asio::awaitable<Response> metrics(RequestContext& ctx) {
  ctx.query.allow_only({});
  co_return make_response(http::status::ok,
                          ctx.server.metrics.prometheus_text(ctx.server.scrape_inputs()),
                          "text/plain; version=0.0.4; charset=utf-8");
}

// The same figures as /metrics, as JSON, for people and the dashboard.
boost::asio::awaitable<Response> stats(RequestContext& ctx) {
  ctx.query.allow_only({});
  auto o = ctx.server.metrics.stats_json(ctx.server.scrape_inputs());
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

}  // namespace

void add_ops_routes(Router& router) {
  router.add(http::verb::get, "/", info, "this list: name, version, workers, endpoints");
  router.add(http::verb::get, "/healthz", healthz, "liveness: 200 while the process serves");
  router.add(http::verb::get, "/readyz", readyz, "readiness: 503 while draining");
  router.add(http::verb::get, "/metrics", metrics, "Prometheus metrics (text format)");
  router.add(http::verb::get, "/stats", stats, "the same figures as /metrics, as JSON");
  router.add(http::verb::get, "/plaintext", plaintext,
             "'Hello, World!' as text/plain: the cheapest request, for throughput baselines");
}

}  // namespace coroserve
