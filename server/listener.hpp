#pragma once
// A listening socket on host:port (port 0 picks a free one), bound at once so
// that its port is known; throws std::system_error when it cannot be bound.
// With `reuse_port`, other sockets that also ask for it may bind the same
// port, and the kernel spreads new connections across them by a hash of the
// peer's address and port. Accepted sockets come with Nagle's algorithm off
// (TCP_NODELAY), so that an answer never waits for the client's ACK. The
// listener is non-blocking: an accept when none waits fails at once.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>

namespace coroserve {

boost::asio::ip::tcp::acceptor open_listener(boost::asio::io_context& ioc, const std::string& host,
                                             std::uint16_t port, bool reuse_port = false);

// Written to a temporary name and renamed, so a reader never sees half a port.
void write_port_file(const std::string& path, std::uint16_t port);

}  // namespace coroserve
