#include "server/accept_waiting.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "server/socket_state.hpp"

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

bool is_resource_exhaustion(const boost::system::error_code& ec) {
  const int v = ec.value();
  return ec.category() == boost::system::system_category() &&
         (v == EMFILE || v == ENFILE || v == ENOBUFS || v == ENOMEM);
}

}  // namespace

tcp::socket accept_waiting(tcp::acceptor& acceptor, tcp::endpoint& peer,
                           boost::system::error_code& ec) {
  tcp::socket socket(acceptor.get_executor());
  socklen_t size = static_cast<socklen_t>(peer.capacity());
  int fd;
  do {
    fd = ::accept4(acceptor.native_handle(), peer.data(), &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    ec.assign(errno, boost::system::system_category());
    return socket;
  }
  peer.resize(size);
  socket.assign(peer.protocol(), fd, ec);
  if (ec) {
    ::close(fd);  // not Asio's yet: epoll would not take it
    return socket;
  }
  adopt_accepted(socket);
  return socket;
}

Backlog take_waiting(tcp::acceptor& acceptor, int batch, const StartSession& start) {
  for (int i = 0; i < batch; ++i) {
    if (!acceptor.is_open()) return Backlog::closed;
    tcp::endpoint peer;
    boost::system::error_code ec;
    tcp::socket socket = accept_waiting(acceptor, peer, ec);
    if (ec == asio::error::would_block) return Backlog::empty;
    if (is_resource_exhaustion(ec)) return Backlog::exhausted;
    if (ec == asio::error::bad_descriptor || ec == asio::error::invalid_argument) {
      return Backlog::closed;
    }
    // Any other error is that one connection's (reset before it was taken,
    // refused by a firewall rule): the next one may be fine.
    if (!ec) start(std::move(socket), peer);
  }
  return Backlog::more;
}

}  // namespace coroserve
