#include "server/socket_state.hpp"

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Asio gives the socket's implementation to derived classes only; naming
// the member through one yields a pointer that reaches it in any socket.
struct SocketInternals : tcp::socket {
  static auto& of(tcp::socket& socket) {
    return (socket.*&SocketInternals::impl_).get_implementation();
  }
};

}  // namespace

void adopt_accepted(tcp::socket& socket) {
  auto& impl = SocketInternals::of(socket);
  namespace ops = asio::detail::socket_ops;
  // What non_blocking(true) would record, without its ioctl. (The other
  // bit, internal_non_blocking, would also change how the io_uring backend
  // reads: a poll, then a read, in place of one asynchronous read.)
  impl.state_ = (impl.state_ | ops::user_set_non_blocking) & ~ops::possible_dup;
#if defined(BOOST_ASIO_HAS_EPOLL)
  asio::detail::epoll_reactor::wait_for_readiness_to_read(impl.reactor_data_);
#endif
}

bool may_have_unread_input(tcp::socket& socket) {
#if defined(BOOST_ASIO_HAS_EPOLL)
  return asio::detail::epoll_reactor::readable_since_last_read(
      SocketInternals::of(socket).reactor_data_);
#else
  (void)socket;
  return true;
#endif
}

}  // namespace coroserve
