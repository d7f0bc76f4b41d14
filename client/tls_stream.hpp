#pragma once
// The TLS stream type, declared apart so that the plain-HTTP files need not
// parse Asio's SSL headers.
#include <boost/asio/ip/tcp.hpp>

namespace boost::asio::ssl {
template <typename Stream>
class stream;
}  // namespace boost::asio::ssl

namespace corobench {

// TLS over the connection's own socket (held by reference: the timeout
// sweeper cancels the socket, and that ends a TLS operation too).
using TlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>;

}  // namespace corobench
