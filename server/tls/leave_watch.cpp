#include "server/tls/leave_watch.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace coroserve::tls {

namespace {

enum class Look { left, nothing, data };

Look look(int fd) {
  char byte;
  const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return Look::data;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return Look::nothing;
  return Look::left;  // EOF or a reset
}

}  // namespace

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
  socket.async_wait(boost::asio::ip::tcp::socket::wait_read,
                    [&socket, state](boost::system::error_code ec) {
                      if (ec || !state->watching) return;
                      switch (look(socket.native_handle())) {
                        case Look::left:
                          state->left.store(true, std::memory_order_relaxed);
                          return;
                        case Look::nothing:  // woken for nothing: wait again
                          arm(socket, state);
                          return;
                        case Look::data:  // the client is there; the loop reads its bytes later
                          return;
                      }
                    });
}

}  // namespace coroserve::tls
