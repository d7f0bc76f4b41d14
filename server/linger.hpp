#pragma once
// The gentle close after an error answer: our side stops sending, and what
// the client still sends is read and discarded for a moment before the
// connection closes, so that the close does not become a TCP reset that
// destroys the answer before the client reads it (like nginx's
// lingering_close).
#include <boost/asio/awaitable.hpp>

#include "server/connection.hpp"

namespace coroserve {

boost::asio::awaitable<void> linger_close(Connection& conn);

}  // namespace coroserve
