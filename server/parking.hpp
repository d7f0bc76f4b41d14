#pragma once
// A parked connection: the keep-alive wait of a connection idle past
// --idle-park-ms, without its session. What stays is the Connection, the
// reactor's entry for the socket and one pending wait (~0.65 KiB instead of
// the session's coroutine frames and 4 KiB read buffer). The first byte of
// the next request starts a new session on the same connection.
#include <memory>

#include "server/connection.hpp"

namespace coroserve {

class ConnectionRegistry;
struct ServerState;

// Starts a session on a connection whose next request has begun.
using ResumeSession = void (*)(ServerState&, ConnectionRegistry&, std::shared_ptr<Connection>);

// Waits for the connection's next bytes, then calls `resume`. The idle
// timeout and the drain end the wait as they end an idle read, by
// cancelling the socket; the connection then closes here.
void park(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn,
          ResumeSession resume);

}  // namespace coroserve
