#pragma once
// Connections are taken off the listening socket with accept4(), which makes
// each one non-blocking and close-on-exec in the same syscall, and are
// handed to Asio as what they are (socket_state.hpp). Asio's own accept
// gives it a blocking socket: an ioctl() to change that, and an epoll_ctl()
// before its close, as Asio cannot know that it has no duplicate.
#include <boost/asio/ip/tcp.hpp>

#include <functional>

namespace coroserve {

// One connection waiting on `acceptor` (non-blocking, as open_listener()
// makes it), with its peer's address. `ec` is would_block when none waits,
// and the errno of accept4() otherwise.
boost::asio::ip::tcp::socket accept_waiting(boost::asio::ip::tcp::acceptor& acceptor,
                                            boost::asio::ip::tcp::endpoint& peer,
                                            boost::system::error_code& ec);

// What take_waiting() left on the listening socket.
enum class Backlog {
  empty,      // none waits: wait for the next wake
  more,       // the batch is taken; more may wait
  exhausted,  // out of file descriptors or memory: retrying at once would spin
  closed,     // the listener is closed
};

// Takes up to `batch` connections waiting on `acceptor`, handing each to
// `start` with its peer's address.
using StartSession =
    std::function<void(boost::asio::ip::tcp::socket, const boost::asio::ip::tcp::endpoint&)>;
Backlog take_waiting(boost::asio::ip::tcp::acceptor& acceptor, int batch,
                     const StartSession& start);

}  // namespace coroserve
