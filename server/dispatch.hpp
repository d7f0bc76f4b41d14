#pragma once
// A request's way through the server once it has been read: route it, check
// its query against the endpoint's table, run the handler, and turn every
// failure into the house's one JSON error. Routing and the failure mapping
// are pure functions apart from the running, so that unit tests and the
// fuzzers drive the real decisions without a socket.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "server/connection.hpp"
#include "server/http_types.hpp"
#include "server/request_context.hpp"
#include "server/request_target.hpp"
#include "server/router.hpp"

namespace coroserve {

// What the session knows of the request being handled, for the metrics and
// the access log.
struct Exchange {
  SteadyClock::time_point started;  // the request's first byte
  std::string request_id;
  std::string_view route;  // the router's path; "" when none matched
  RequestNotes notes;      // what the handler reported
};

// The router's decision: the endpoint whose handler runs, or an answer
// already (OPTIONS, 404, 405, 501).
struct Routed {
  const Endpoint* endpoint = nullptr;
  std::optional<Response> answer;
  std::string_view route;  // the metrics label
};
Routed route_request(const Router& router, http::verb method, std::string_view method_name,
                     const Target& target);

// True when the client waits for "100 Continue" before sending the body
// and the request is refused on its head: by the router (404, 405, 501) or
// for its query (400). RFC 9110 §10.1.1 lets the refusal go out instead of
// the 100, so the body is never invited; dispatch() then gives the same
// answer. OPTIONS' 204 is no refusal.
bool refused_before_body(const ServerState& state, const Connection& conn, const Request& head,
                         const Target& target);

// The endpoint's parameters, read from the encoded query. Throws HttpError.
Params read_params(const Endpoint& endpoint, std::string_view encoded_query);

// Who failed, for the log line of an internal error.
struct FailureContext {
  std::string_view request_id;
  std::uint64_t connection = 0;
  std::string_view method;
  std::string_view target;
};

// What a handler's exception is answered with: its own status for an
// HttpError, 503 with Retry-After when overloaded, 500 (logged) for anything
// else; nullopt when the client left and its work was abandoned.
std::optional<Response> answer_failure(std::exception_ptr failure, bool client_gone,
                                       const FailureContext& who);

// Routes and runs the request; nullopt when the client went away while its
// work was pending (nobody to answer).
boost::asio::awaitable<std::optional<Response>> dispatch(ServerState& state,
                                                         const std::shared_ptr<Connection>& conn,
                                                         const Request& req, const Target& target,
                                                         Exchange& exchange);

}  // namespace coroserve
