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

// After the last answer on a connection that is not kept alive. With nothing
// more of the client's in flight (no unread bytes buffered, none waiting on
// the socket) there is nothing to reset the connection: it closes at once and
// its FIN follows the answer, which saves the lingering close's shutdown,
// wait and read. Otherwise it lingers. nginx decides the same way.
boost::asio::awaitable<void> close_after_last_answer(Connection& conn, bool unread_buffered);

}  // namespace coroserve
