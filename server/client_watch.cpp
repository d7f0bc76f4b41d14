#include "server/client_watch.hpp"

#include <boost/asio/post.hpp>

namespace coroserve {

namespace {

using tcp = boost::asio::ip::tcp;

// A look first: the socket's readiness edge may have passed already. More
// request bytes mean pipelined requests (the client is there); EOF, a reset
// or a TLS close_notify mean nobody waits for the answer; nothing yet means
// wait for readiness.
void check_client(const std::shared_ptr<Connection>& conn) {
  if (!conn->watching) return;
  switch (conn->stream.peek_client()) {
    case Stream::Peek::data:
      conn->watching = false;
      return;
    case Stream::Peek::nothing:
      conn->stream.socket().async_wait(tcp::socket::wait_read,
                                       [conn](boost::system::error_code ec) {
                                         if (!ec) check_client(conn);
                                       });
      return;
    case Stream::Peek::closed:
      conn->watching = false;
      conn->client_left();
      return;
  }
}

}  // namespace

boost::asio::cancellation_slot ClientWatch::slot() {
  if (!conn_->watching && !conn_->client_gone()) {
    conn_->watching = true;
    // The first look runs once the caller has connected the slot's handler
    // (the pool does when it takes the work): a client already gone emits
    // the signal then, instead of to nobody now.
    boost::asio::post(conn_->stream.socket().get_executor(),
                      [conn = conn_] { check_client(conn); });
  }
  return conn_->gone_signal.slot();
}

void ClientWatch::stop() {
  if (!conn_->watching) return;
  conn_->watching = false;
  boost::system::error_code ignored;
  conn_->stream.socket().cancel(
      ignored);  // ends the pending wait; no other operation is pending now
}

}  // namespace coroserve
