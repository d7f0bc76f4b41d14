#pragma once
// One client connection, as one coroutine on the loop: wait for a request,
// read its head, check it, read its body, dispatch it, write the answer,
// and loop while the connection is kept alive. Pipelined requests are
// answered in order because they are read from the same buffer, one after
// the other. Each step is a call into a part named for it: raw_head and
// head_checks (the head), read_errors (what a failed read is answered
// with), dispatch (route and run), response_batch (writing), client_watch
// and parking.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>

namespace coroserve {

struct ServerState;
class ConnectionRegistry;

// A connection just accepted. The client's address comes with the accept,
// which saves a getpeername per connection. `admin`: it came in on
// --admin-port (plain HTTP, ops endpoints only); otherwise it speaks HTTPS
// when the server has a TLS context.
struct Accepted {
  boost::asio::ip::tcp::socket socket;
  boost::asio::ip::address peer;
  std::uint64_t id = 0;
  bool admin = false;
};

// Starts the connection's session, a coroutine on the loop, spawned as it
// is rather than from one that would only wait for it: each coroutine a
// connection goes through costs about 550 instructions.
void spawn_session(ServerState& state, ConnectionRegistry& registry, Accepted accepted);

}  // namespace coroserve
