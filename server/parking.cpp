#include "server/parking.hpp"

#include <boost/asio/bind_allocator.hpp>

#include "server/connection_registry.hpp"
#include "server/server_state.hpp"

namespace coroserve {

namespace {

using tcp = boost::asio::ip::tcp;

void close(ConnectionRegistry& registry, Connection& conn) {
  conn.stream.close();
  registry.remove(conn);
}

}  // namespace

// Asio's async_wait re-arms the socket in epoll (EPOLL_CTL_MOD), so bytes
// that came before the wait began still wake it. Bytes that came before
// and are no longer on the socket (TLS: decrypted, or ciphertext held
// for OpenSSL) would not: they are looked for first.
void park(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn,
          ResumeSession resume) {
  if (conn->stream.has_buffered_input()) return resume(state, registry, std::move(conn));
  conn->stream.release_idle();
  conn->parked = true;
  registry.on_parked();
  auto& socket = conn->stream.socket();
  auto woken = [&state, &registry, conn = std::move(conn),
                resume](boost::system::error_code ec) mutable {
    conn->parked = false;
    registry.on_woken();
    if (ec || state.draining) return close(registry, *conn);
    resume(state, registry, std::move(conn));
  };
  // The wait lasts as long as the connection idles: its memory goes with
  // the connection's, not among the sessions' (connection_arena.hpp).
  socket.async_wait(
      tcp::socket::wait_read,
      boost::asio::bind_allocator(ArenaAllocator<void>(registry.arena()), std::move(woken)));
}

}  // namespace coroserve
