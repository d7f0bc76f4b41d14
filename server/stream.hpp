#pragma once
// A connection's byte stream: the TCP socket, or TLS records over it. Every
// part of the session reads and writes through this one interface (the
// reader, the response batch, the client watch, parking, the closing), so
// the session has one shape for both; a plain connection pays one pointer
// test per call. It is an Asio/Beast AsyncReadStream and AsyncWriteStream:
// Beast's parser operations read from it.
#include <boost/asio/buffer.hpp>
#include <boost/asio/completion_condition.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <cstddef>
#include <memory>
#include <utility>

#include "common/tls/tls_ops.hpp"
#include "server/tls/context.hpp"

namespace coroserve {

class Stream {
 public:
  using executor_type = boost::asio::ip::tcp::socket::executor_type;

  explicit Stream(boost::asio::ip::tcp::socket socket);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  executor_type get_executor() { return socket_.get_executor(); }
  // For what only the socket does: wait, cancel, close.
  boost::asio::ip::tcp::socket& socket() { return socket_; }
  tls::TlsStream* tls() const { return tls_.get(); }
  // Makes this a TLS stream under `ctx`, before anything is read.
  void start_tls(const tls::ContextPtr& ctx);

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    if (!tls_) return socket_.async_read_some(buffers, std::forward<Token>(token));
    return tls::async_read_some(*tls_, socket_, buffers, std::forward<Token>(token));
  }

  // With TLS, records still waiting for the socket go out first, and an
  // empty buffer sequence only sends them.
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    if (!tls_) return socket_.async_write_some(buffers, std::forward<Token>(token));
    return tls::async_write_some(*tls_, socket_, buffers, std::forward<Token>(token));
  }

  // Sends what the socket takes now, without waiting (the socket is in
  // non-blocking mode). Returns how many bytes of `buffers` were taken; `ec`
  // is would_block when anything remains to be sent, and an async_write of
  // the rest sends it (with TLS, even an empty rest: records may wait).
  template <class ConstBuffers>
  std::size_t write_now(const ConstBuffers& buffers, boost::system::error_code& ec) {
    if (!tls_) return boost::asio::write(socket_, buffers, boost::asio::transfer_all(), ec);
    return tls::write_now(*tls_, socket_, buffers, ec);
  }

  // Request bytes that are here already and need no wait on the socket
  // (TLS: plaintext OpenSSL holds or can decrypt from the ciphertext it
  // holds). Checked before a connection parks.
  bool has_buffered_input();

  // The client watch's look at the connection while a request is handled,
  // without taking any request bytes: more bytes came (pipelined requests:
  // the client is there), the client closed (EOF, reset, TLS close_notify),
  // or nothing yet.
  enum class Peek { data, closed, nothing };
  Peek peek_client();
  // The same look at the raw socket alone: what peek_client() does for
  // plain HTTP, and all the loop may do while a handshake step owns the SSL.
  static Peek peek_socket(boost::asio::ip::tcp::socket& socket);

  // Ends the sending side: TLS sends close_notify first (best effort).
  void shutdown_send(boost::system::error_code& ec);
  // Closes the connection (TLS: close_notify first, when it can go at once).
  void close();
  // An idle connection gives back what it can (TLS: the ciphertext and
  // record buffers).
  void release_idle();
  // TLS: whether the record buffers stay between requests (see TlsStream).
  void keep_record_buffers(bool keep);

 private:
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<tls::TlsStream> tls_;
};

}  // namespace coroserve
