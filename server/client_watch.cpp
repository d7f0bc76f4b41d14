#include "server/client_watch.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace coroserve {

namespace {

using tcp = boost::asio::ip::tcp;

// A peek first: the socket's readiness edge may have passed already. Bytes
// mean more pipelined requests (the client is there); EOF or a reset mean
// nobody waits for the answer; nothing yet means wait for readiness.
void check_client(const std::shared_ptr<Connection>& conn) {
  if (!conn->watching) return;
  char byte;
  const auto n = ::recv(conn->socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) {
    conn->watching = false;
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    conn->socket.async_wait(tcp::socket::wait_read, [conn](boost::system::error_code ec) {
      if (!ec) check_client(conn);
    });
    return;
  }
  conn->watching = false;
  conn->client_left();
}

}  // namespace

boost::asio::cancellation_slot ClientWatch::slot() {
  if (!conn_->watching && !conn_->client_gone()) {
    conn_->watching = true;
    check_client(conn_);
  }
  return conn_->gone_signal.slot();
}

void ClientWatch::stop() {
  if (!conn_->watching) return;
  conn_->watching = false;
  boost::system::error_code ignored;
  conn_->socket.cancel(ignored);  // ends the pending wait; no other operation is pending now
}

}  // namespace coroserve
