// Endpoints for people and orchestrators: what is this server, is it alive,
// should it get traffic, and the cheapest possible answer for baselines.
#include <boost/json.hpp>

#include "common/version.hpp"
#include "server/endpoints.hpp"
#include "server/handlers/handlers.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"

namespace coroserve::handlers {

namespace {

// "?ms=0..10000 (100): waits on a timer": what GET / says of an endpoint.
std::string help_of(const Endpoint& e) {
  auto params = usage(e.params);
  return params.empty() ? std::string(e.summary) : params + ": " + std::string(e.summary);
}

// Where this server runs its TLS handshakes; null when it speaks plain HTTP.
boost::json::value tls_handshake_on(const ServerState& s) {
  if (!s.tls.context()) return nullptr;
  return boost::json::string(tls::where_label(s.tls.where));
}

}  // namespace

Answer info(RequestContext& ctx) {
  const auto& s = ctx.server;
  boost::json::array list;
  for (const auto& e : endpoints()) {
    list.push_back({{"method", std::string(http::to_string(e.method))},
                    {"path", std::string(e.path)},
                    {"help", help_of(e)}});
  }
  const auto uptime =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - s.started)
          .count();
  boost::json::object o{{"name", kName},
                        {"version", kVersion},
                        {"workers", s.pool.threads()},
                        {"queue", s.pool.max_queue()},
                        {"cpu_on_loop", s.config.cpu_on_loop},
                        {"tls_handshake_on", tls_handshake_on(s)},
                        {"uptime_s", uptime},
                        {"endpoints", std::move(list)}};
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

Answer healthz(RequestContext&) {
  co_return json_response(http::status::ok, "{\"status\":\"ok\"}\n");
}

// Readiness fails first when draining, so a load balancer stops sending new
// requests while the ones in flight finish.
Answer readyz(RequestContext& ctx) {
  if (ctx.server.draining) {
    co_return json_response(http::status::service_unavailable, "{\"status\":\"draining\"}\n");
  }
  co_return json_response(http::status::ok, "{\"status\":\"ready\"}\n");
}

Answer plaintext(RequestContext&) {
  co_return make_response(http::status::ok, "Hello, World!", "text/plain");
}

// Prometheus text format, built at scrape time from loop-local counters and
// the pool's atomics: nothing on the request path takes a lock for it.
Answer metrics(RequestContext& ctx) {
  co_return make_response(http::status::ok,
                          ctx.server.metrics.prometheus_text(ctx.server.scrape_inputs()),
                          "text/plain; version=0.0.4; charset=utf-8");
}

// The same figures as /metrics, as JSON, for people and the dashboard.
Answer stats(RequestContext& ctx) {
  auto o = ctx.server.metrics.stats_json(ctx.server.scrape_inputs());
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

}  // namespace coroserve::handlers
