#pragma once
// How a connection closes after its last answer. The gentle close (after an
// error answer, or with client bytes still unread): our side stops sending,
// and what the client still sends is read and discarded for a moment before
// the connection closes, so that the close does not become a TCP reset that
// destroys the answer before the client reads it (like nginx's
// lingering_close).
#include <boost/asio/awaitable.hpp>

#include "server/connection.hpp"

namespace coroserve {

boost::asio::awaitable<void> linger_close(Connection& conn);

// After the last answer on a connection that is not kept alive: true when
// nothing more of the client's is in flight (no unread bytes buffered, none
// waiting on the socket). Then nothing can reset the connection, so it may
// close at once, its FIN following the answer, without the gentle close's
// shutdown, wait and read. nginx decides the same way, and like nginx
// trusts epoll to have reported any bytes that came after the request.
bool may_close_at_once(Connection& conn, bool unread_buffered);

}  // namespace coroserve
