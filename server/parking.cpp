#include "server/parking.hpp"

#include "server/connection_registry.hpp"
#include "server/server_state.hpp"

namespace coroserve {

namespace {

using tcp = boost::asio::ip::tcp;

void close(ConnectionRegistry& registry, Connection& conn) {
  boost::system::error_code ignored;
  conn.socket.shutdown(tcp::socket::shutdown_both, ignored);
  conn.socket.close(ignored);
  registry.remove(conn);
}

}  // namespace

// Asio's async_wait re-arms the socket in epoll (EPOLL_CTL_MOD), so bytes
// that came before the wait began still wake it.
void park(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn,
          ResumeSession resume) {
  conn->parked = true;
  registry.on_parked();
  auto& socket = conn->socket;
  socket.async_wait(tcp::socket::wait_read, [&state, &registry, conn = std::move(conn),
                                             resume](boost::system::error_code ec) mutable {
    conn->parked = false;
    registry.on_woken();
    if (ec || state.draining) return close(registry, *conn);
    resume(state, registry, std::move(conn));
  });
}

}  // namespace coroserve
