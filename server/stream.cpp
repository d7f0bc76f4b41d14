#include "server/stream.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Writes are tried at once without waiting (response_batch.cpp), and TLS's
// pull() and push() never wait. An accepted socket is non-blocking already
// (accept_waiting.hpp), and asking costs no syscall.
Stream::Stream(tcp::socket socket) : socket_(std::move(socket)) {
  boost::system::error_code ignored;
  if (!socket_.non_blocking()) socket_.non_blocking(true, ignored);
}

Stream::~Stream() = default;

void Stream::start_tls(const tls::ContextPtr& ctx) {
  tls_ = std::make_unique<tls::TlsStream>(ctx.get(), tls::TlsStream::Role::server);
}

bool Stream::has_buffered_input() {
  // Nothing held: no record to decrypt, and SSL_peek would only fail.
  return tls_ && tls_->has_buffered_input() && tls_->peek() == tls::Io::done;
}

// A peek first: the socket's readiness edge may have passed already.
Stream::Peek Stream::peek_socket(tcp::socket& socket) {
  char byte;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return Peek::data;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return Peek::nothing;
  return Peek::closed;
}

// With TLS, bytes on the socket may be a close_notify rather than a request:
// they are read into the ciphertext buffer and decrypted (kept for the next
// read), and only plaintext counts as data.
Stream::Peek Stream::peek_client() {
  if (!tls_) return peek_socket(socket_);
  for (;;) {
    switch (tls_->peek()) {
      case tls::Io::done:
        return Peek::data;
      case tls::Io::closed:
      case tls::Io::failed:
        return Peek::closed;
      default:
        break;
    }
    boost::system::error_code ec;
    const std::size_t n = tls_->pull(socket_, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      if (n == 0) return Peek::nothing;
    } else if (ec) {
      return Peek::closed;
    } else if (n == 0) {
      return Peek::data;  // the buffer is full: the client keeps sending
    }
  }
}

void Stream::shutdown_send(boost::system::error_code& ec) {
  if (tls_) {
    tls_->close_notify();
    boost::system::error_code ignored;
    tls_->push(socket_, ignored);
  }
  socket_.shutdown(tcp::socket::shutdown_send, ec);
}

void Stream::close() {
  boost::system::error_code ignored;
  if (tls_) {
    tls_->close_notify();
    tls_->push(socket_, ignored);
  }
  socket_.close(ignored);  // the socket is this stream's alone: closing it sends the FIN
}

void Stream::release_idle() {
  if (tls_) tls_->release_idle();
}

void Stream::keep_record_buffers(bool keep) {
  if (tls_) tls_->keep_record_buffers(keep);
}

}  // namespace coroserve
