#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>
#include <vector>

#include "client/tls_stream.hpp"

namespace corobench {

// Writes the requests of a batch whole, in one go: pipelined requests leave
// together. Defined for a plain socket and a TLS stream.
template <typename Stream>
boost::asio::awaitable<boost::system::error_code> write_requests(
    Stream& stream, const std::vector<boost::asio::const_buffer>& requests);

extern template boost::asio::awaitable<boost::system::error_code> write_requests(
    boost::asio::ip::tcp::socket&, const std::vector<boost::asio::const_buffer>&);
extern template boost::asio::awaitable<boost::system::error_code> write_requests(
    TlsStream&, const std::vector<boost::asio::const_buffer>&);

}  // namespace corobench
