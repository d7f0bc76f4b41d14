#pragma once
// A connection's TLS stream: the record layer the server uses too (an SSL
// over ciphertext buffers of its own, driven here on the connection's own
// thread), over the connection's socket. The socket is held by reference: the timeout sweeper
// cancels the socket, and that ends a TLS operation too. It is an Asio
// AsyncReadStream and AsyncWriteStream, so the reads and writes of plain
// HTTP work on it unchanged.
#include <boost/asio/ip/tcp.hpp>
#include <utility>

#include "common/tls/tls_ops.hpp"

namespace corobench {

class TlsStream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  TlsStream(boost::asio::ip::tcp::socket& socket, ssl_ctx_st* ctx)
      : socket_(socket), tls_(ctx, coroserve::tls::TlsStream::Role::client) {}

  executor_type get_executor() { return socket_.get_executor(); }
  ssl_st* ssl() const { return tls_.ssl(); }

  template <class Token>
  auto async_handshake(Token&& token) {
    return coroserve::tls::async_handshake(tls_, socket_, std::forward<Token>(token));
  }
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return coroserve::tls::async_read_some(tls_, socket_, buffers, std::forward<Token>(token));
  }
  // Sends what the socket takes now (see coroserve::tls::write_now).
  template <class ConstBuffers>
  std::size_t write_now(const ConstBuffers& buffers, boost::system::error_code& ec) {
    return coroserve::tls::write_now(tls_, socket_, buffers, ec);
  }
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return coroserve::tls::async_write_some(tls_, socket_, buffers, std::forward<Token>(token));
  }

 private:
  boost::asio::ip::tcp::socket& socket_;
  coroserve::tls::TlsStream tls_;
};

}  // namespace corobench
