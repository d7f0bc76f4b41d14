#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <vector>

namespace corobench {

// Writes the requests of a batch whole, in one go: pipelined requests leave
// together.
boost::asio::awaitable<boost::system::error_code> write_requests(
    boost::asio::ip::tcp::socket& sock, const std::vector<boost::asio::const_buffer>& requests);

}  // namespace corobench
