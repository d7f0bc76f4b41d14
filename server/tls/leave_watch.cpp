#include "server/tls/leave_watch.hpp"

#include "server/stream.hpp"

namespace coroserve::tls {

LeaveWatch::LeaveWatch(boost::asio::ip::tcp::socket& socket)
    : socket_(socket), state_(std::make_shared<State>()) {
  arm(socket_, state_);
}

LeaveWatch::~LeaveWatch() {
  state_->watching = false;
  boost::system::error_code ignored;
  socket_.cancel(ignored);  // ends the wait; the handshake has no other operation pending
}

// A completed wait whose watch has ended does not touch the socket: it may
// be gone by the time the handler runs.
void LeaveWatch::arm(boost::asio::ip::tcp::socket& socket, std::shared_ptr<State> state) {
  socket.async_wait(
      boost::asio::ip::tcp::socket::wait_read, [&socket, state](boost::system::error_code ec) {
        if (ec || !state->watching) return;
        switch (Stream::peek_socket(socket)) {
          case Stream::Peek::closed:  // EOF or a reset
            state->left.store(true, std::memory_order_relaxed);
            return;
          case Stream::Peek::nothing:  // woken for nothing: wait again
            arm(socket, state);
            return;
          case Stream::Peek::data:  // the client is there; the loop reads its bytes later
            return;
        }
      });
}

}  // namespace coroserve::tls
