#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <vector>

#include "client/conn_state.hpp"

namespace corobench {

// Opens the connection's socket to the first endpoint that answers, bounded
// by `timeout`, with Nagle off (no small write waits for an ACK). Returns
// why it failed, or nothing once connected.
boost::asio::awaitable<std::optional<ErrorKind>> connect_socket(
    ConnState& st, const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
    Clock::duration timeout);

}  // namespace corobench
