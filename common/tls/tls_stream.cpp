#include "common/tls/tls_stream.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>

#include <algorithm>
#include <new>
#include <string>

namespace coroserve::tls {

namespace {

class TlsCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "tls"; }
  std::string message(int ev) const override {
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ev));
    return reason != nullptr ? reason : "TLS failure " + std::to_string(ev);
  }
};

// The oldest error OpenSSL queued on this thread; the queue is emptied,
// so that nothing stale is read after the next call.
boost::system::error_code take_error() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  const int value = e == 0 ? 1 : static_cast<int>(e & 0x7fffffffUL);
  return {value, tls_category()};
}

}  // namespace

const boost::system::error_category& tls_category() {
  static const TlsCategory category;
  return category;
}

TlsStream::TlsStream(ssl_ctx_st* ctx, Role role)
    : ssl_(SSL_new(ctx)), ciphertext_(kInputBytes, kOutputBytes) {
  if (ssl_ == nullptr) throw std::bad_alloc();
  if (role == Role::server) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
  }
  attach_bio();
}

TlsStream::~TlsStream() {
  SSL_free(ssl_);  // and the BIO, before the buffers it points at
}

void TlsStream::attach_bio() {
  if (SSL_get_rbio(ssl_) != nullptr) return;
  BIO* bio = ciphertext_.make_bio();
  SSL_set_bio(ssl_, bio, bio);  // one reference, read and write side alike
}

bool TlsStream::has_buffered_input() const {
  return ciphertext_.input_held() != 0 || SSL_has_pending(ssl_) != 0;
}

void TlsStream::release_idle() {
  if (has_output() || has_buffered_input()) return;
  SSL_free_buffers(ssl_);
  keep_record_buffers(false);
  SSL_set_bio(ssl_, nullptr, nullptr);  // frees it; attach_bio() makes another
  ciphertext_.release();
}

void TlsStream::keep_record_buffers(bool keep) {
  if (keep) {
    SSL_clear_mode(ssl_, SSL_MODE_RELEASE_BUFFERS);
  } else {
    SSL_set_mode(ssl_, SSL_MODE_RELEASE_BUFFERS);
  }
}

bool TlsStream::has_output() const {
  return ciphertext_.output_held() != 0;
}

Io TlsStream::classify(int ret) {
  switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_WANT_READ:
      return Io::want_input;
    case SSL_ERROR_WANT_WRITE:
      return Io::want_output;
    case SSL_ERROR_ZERO_RETURN:
      return Io::closed;
    default:
      error_ = take_error();
      return Io::failed;
  }
}

Io TlsStream::read(boost::asio::mutable_buffer out, std::size_t& n) {
  attach_bio();
  n = 0;
  const int r = SSL_read_ex(ssl_, out.data(), out.size(), &n);
  return r == 1 ? Io::done : classify(r);
}

// One record's plaintext at most. A write that returned WANT_WRITE must be
// offered again with at least the bytes OpenSSL already took, and given more
// than a record it keeps taking records into a full buffer, so that the bytes
// it holds grow past what the next offer (a later, shorter buffer) covers:
// SSL_R_BAD_LENGTH. Capped, a call takes at most the one record it offers
// again.
Io TlsStream::write(boost::asio::const_buffer in, std::size_t& n) {
  attach_bio();
  n = 0;
  const std::size_t size = std::min<std::size_t>(in.size(), SSL3_RT_MAX_PLAIN_LENGTH);
  const int r = SSL_write_ex(ssl_, in.data(), size, &n);
  return r == 1 ? Io::done : classify(r);
}

Io TlsStream::peek() {
  attach_bio();
  char byte = 0;
  std::size_t n = 0;
  const int r = SSL_peek_ex(ssl_, &byte, 1, &n);
  return r == 1 ? Io::done : classify(r);
}

Io TlsStream::handshake() {
  attach_bio();
  const int r = SSL_do_handshake(ssl_);
  return r == 1 ? Io::done : classify(r);
}

std::size_t TlsStream::pull(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec) {
  std::size_t total = 0;
  for (;;) {
    const auto space = input_space();
    if (space.size() == 0) return total;  // the input buffer is full
    const std::size_t n = socket.read_some(space, ec);
    if (ec) return total;
    commit_input(n);
    total += n;
    if (n < space.size()) return total;  // the socket had no more
  }
}

bool TlsStream::push(boost::asio::ip::tcp::socket& socket, boost::system::error_code& ec) {
  for (auto out = output(); out.size() != 0; out = output()) {
    const std::size_t n = socket.write_some(out, ec);
    if (ec) return false;
    consume_output(n);
  }
  return true;
}

std::size_t TlsStream::encrypt_now(boost::asio::ip::tcp::socket& socket,
                                   boost::asio::const_buffer b, boost::system::error_code& ec) {
  for (;;) {
    std::size_t n = 0;
    switch (write(b, n)) {
      case Io::done:
        return n;
      case Io::want_output:
        if (!push(socket, ec)) return 0;  // would_block: the same bytes again later
        continue;
      default:
        ec = error_ ? error_ : boost::asio::error::broken_pipe;
        return 0;
    }
  }
}

void TlsStream::close_notify() {
  if (error_ || SSL_is_init_finished(ssl_) != 1 ||
      (SSL_get_shutdown(ssl_) & SSL_SENT_SHUTDOWN) != 0) {
    return;
  }
  attach_bio();
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

}  // namespace coroserve::tls
