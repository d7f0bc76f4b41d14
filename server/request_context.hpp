#pragma once
// Everything a handler gets for one request.
#include <chrono>
#include <optional>
#include <string_view>

#include "server/client_key.hpp"
#include "server/client_watch.hpp"
#include "server/http_types.hpp"
#include "server/overloaded.hpp"
#include "server/params.hpp"
#include "server/server_state.hpp"

namespace coroserve {

// What a handler tells the access log and the metrics about its work.
struct RequestNotes {
  std::string_view where;  // "pool", "loop" or "" (no CPU work)
  std::chrono::nanoseconds queue_wait{0};
  std::chrono::nanoseconds compute{0};
  bool admitted = false;           // CPU work of this request was admitted: later steps pass
  std::optional<ShedReason> shed;  // why the request was shed, if it was
};

struct RequestContext {
  const Request& request;
  std::string_view path;
  Params params;  // the query, checked against the endpoint's table
  ServerState& server;
  // client.slot() fires if the client disconnects while the request is
  // handled: handlers that offload work pass it to the pool, so work for a
  // client that is gone is skipped.
  ClientWatch& client;
  ClientOrigin origin;  // peer address and connection: what --client-key reads besides headers
  std::chrono::steady_clock::time_point started;  // first byte of the request
  std::string_view request_id;
  RequestNotes& notes;
};

}  // namespace coroserve
