#include "server/dispatch.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include "server/head_checks.hpp"
#include "server/http_responses.hpp"
#include "server/overloaded.hpp"

namespace coroserve {

namespace {

Response allow_response(std::string_view allow) {
  Response res{http::status::no_content, 11};
  res.set(http::field::allow, allow);
  return res;
}

Response method_not_allowed(std::string_view path, std::string_view allow) {
  std::string detail = "'";
  detail.append(path).append("' allows ").append(allow);
  auto res = error_response(http::status::method_not_allowed, "method_not_allowed", detail);
  res.set(http::field::allow, allow);
  return res;
}

Response internal_error(const char* what, const FailureContext& who) {
  spdlog::error("id={} conn={} {} {}: {}", who.request_id, who.connection, who.method, who.target,
                what);
  return error_response(http::status::internal_server_error, "internal_error", what);
}

// A shed request is counted once, here, whether or not its answer gets out.
void note_shed(Metrics& metrics, RequestNotes& notes, std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Overloaded& e) {
    notes.shed = e.reason();
  } catch (...) {
  }
  if (notes.shed) metrics.count_shed(*notes.shed);
}

const Router& router_for(const ServerState& state, const Connection& conn) {
  return conn.admin ? state.admin_router : state.router;
}

}  // namespace

Routed route_request(const Router& router, http::verb method, std::string_view method_name,
                     const Target& target) {
  // OPTIONS *: what the server as a whole allows.
  if (target.asterisk || (method == http::verb::options && target.authority_only)) {
    return {nullptr, allow_response("GET, HEAD, POST, OPTIONS"), {}};
  }
  if (method == http::verb::unknown) {
    return {nullptr,
            error_response(http::status::not_implemented, "not_implemented",
                           "method '" + std::string(method_name) + "' is not implemented"),
            {}};
  }
  const auto match = router.find(method, target.path);
  switch (match.outcome) {
    case Router::Outcome::found:
      return {match.endpoint, std::nullopt, match.route};
    case Router::Outcome::method_not_allowed:
      if (method == http::verb::options) return {nullptr, allow_response(match.allow), match.route};
      return {nullptr, method_not_allowed(target.path, match.allow), match.route};
    case Router::Outcome::not_found:
      break;
  }
  return {nullptr,
          error_response(
              http::status::not_found, "not_found",
              "no endpoint at '" + std::string(target.path).substr(0, 256) + "'; GET / lists them"),
          {}};
}

bool refused_before_body(const ServerState& state, const Connection& conn, const Request& head,
                         const Target& target) {
  if (!expects_continue(head)) return false;
  const auto routed =
      route_request(router_for(state, conn), head.method(), head.method_string(), target);
  if (routed.answer) return routed.answer->result_int() >= 400;
  try {
    read_params(*routed.endpoint, target.query);
  } catch (const HttpError&) {
    return true;  // dispatch() reads the query again and answers the same 400
  }
  return false;
}

Params read_params(const Endpoint& endpoint, std::string_view encoded_query) {
  const auto query = QueryParams::parse(encoded_query);
  return endpoint.checks_query ? Params::read(query, endpoint.params) : Params{};
}

std::optional<Response> answer_failure(std::exception_ptr failure, bool client_gone,
                                       const FailureContext& who) {
  try {
    std::rethrow_exception(failure);
  } catch (const HttpError& e) {
    return error_response(e.status(), e.error(), e.detail());
  } catch (const Overloaded& e) {
    const auto status = static_cast<http::status>(e.status());
    auto res = error_response(
        status, status == http::status::too_many_requests ? "too_many_requests" : "overloaded",
        e.what());
    res.set(http::field::retry_after, std::to_string(e.retry_after_s()));
    return res;
  } catch (const boost::system::system_error& e) {
    if (e.code() == boost::asio::error::operation_aborted && client_gone) return std::nullopt;
    return internal_error(e.what(), who);
  } catch (const std::exception& e) {
    return internal_error(e.what(), who);
  }
}

boost::asio::awaitable<std::optional<Response>> dispatch(ServerState& state,
                                                         const std::shared_ptr<Connection>& conn,
                                                         const Request& req, const Target& target,
                                                         Exchange& exchange) {
  auto routed = route_request(router_for(state, *conn), req.method(), req.method_string(), target);
  exchange.route = routed.route;
  if (routed.endpoint == nullptr) co_return std::move(routed.answer);
  ClientWatch watch(conn);  // armed by handlers that offload; stopped on return
  std::exception_ptr failure;
  try {
    RequestContext ctx{req,
                       target.path,
                       read_params(*routed.endpoint, target.query),
                       state,
                       watch,
                       {conn->peer, conn->id},
                       exchange.started,
                       exchange.request_id,
                       exchange.notes};
    co_return co_await routed.endpoint->handler(ctx);
  } catch (...) {
    failure = std::current_exception();
  }
  note_shed(state.metrics, exchange.notes, failure);
  co_return answer_failure(failure, conn->client_gone(),
                           {exchange.request_id, conn->id, req.method_string(), req.target()});
}

}  // namespace coroserve
