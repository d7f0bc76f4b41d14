#pragma once
// Everything a handler gets for one request.
#include <boost/asio/cancellation_signal.hpp>

#include <chrono>
#include <functional>
#include <string_view>

#include "server/http_types.hpp"
#include "server/query_params.hpp"
#include "server/server_state.hpp"

namespace coroserve {

// What a handler tells the access log about where its work went.
struct RequestNotes {
  std::string_view where;  // "pool", "loop" or "" (no CPU work)
  std::chrono::nanoseconds queue_wait{0};
  std::chrono::nanoseconds compute{0};
};

struct RequestContext {
  const Request& request;
  std::string_view path;
  QueryParams query;
  ServerState& server;
  // Returns a slot that fires if the client disconnects while the request is
  // being handled. Handlers that offload work pass it to the pool, so work
  // for a client that is gone is skipped. Watching costs a syscall, so it is
  // only armed by handlers that ask.
  std::function<boost::asio::cancellation_slot()> watch_client;
  std::chrono::steady_clock::time_point started;  // first byte of the request
  std::string_view request_id;
  RequestNotes& notes;
};

}  // namespace coroserve
