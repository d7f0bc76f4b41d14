#pragma once
// One client connection, as one coroutine on the loop: read a request, route
// it, answer, and loop while the connection is kept alive. Pipelined requests
// are answered in order because they are read from the same buffer, one
// after the other.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>

namespace coroserve {

struct ServerState;
class ConnectionRegistry;

boost::asio::awaitable<void> run_session(ServerState& state, ConnectionRegistry& registry,
                                         boost::asio::ip::tcp::socket socket, std::uint64_t id);

// Past --max-connections: answer 503 and close at once, without a session.
// Best effort: one non-blocking write, so a flood of them costs nothing.
void reject_connection(ServerState& state, boost::asio::ip::tcp::socket socket);

}  // namespace coroserve
