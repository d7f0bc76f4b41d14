#pragma once
// What Asio knows of a socket, set or read here without a syscall. Asio
// keeps it in the socket's state bits and, with epoll, in the reactor's
// entry for the socket; its public calls change it only along with a
// syscall (an ioctl, an epoll_ctl, a read). Each function says why the
// syscall is not needed.
#include <boost/asio/ip/tcp.hpp>

namespace coroserve {

// A socket just accepted with accept4(SOCK_NONBLOCK | SOCK_CLOEXEC):
// - it is non-blocking already, so Asio need not set the mode;
// - it has no duplicate descriptor (close-on-exec, and the server does not
//   fork), so closing it takes it out of epoll and Asio need not do that by
//   hand first;
// - its client sends the request only once its connect returns, so a read
//   tried at once would find nothing: the first read waits for epoll to
//   report the socket readable (cmake/PatchAsioShortRead.cmake).
void adopt_accepted(boost::asio::ip::tcp::socket& socket);

// False when the socket's last read emptied it and epoll has reported it
// readable at no time since: nothing of the client's can be waiting on it,
// bar what arrived since the loop last asked epoll. True when that cannot
// be told (the io_uring build, or a read that filled its buffer).
bool may_have_unread_input(boost::asio::ip::tcp::socket& socket);

}  // namespace coroserve
