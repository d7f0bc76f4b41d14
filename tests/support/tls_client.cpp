#include "tests/support/tls_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <cerrno>
#include <csignal>
#include <stdexcept>

namespace coroserve::test {

namespace {

std::string alpn_wire(const std::vector<std::string>& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    wire += static_cast<char>(p.size());
    wire += p;
  }
  return wire;
}

bool is_ip(const std::string& name) {
  unsigned char buf[16];
  return ::inet_pton(AF_INET, name.c_str(), buf) == 1 ||
         ::inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

SSL_CTX* make_ctx(const TlsClientOptions& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (o.legacy) {
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
  }
  if (o.min_version != 0) SSL_CTX_set_min_proto_version(ctx, o.min_version);
  if (o.max_version != 0) SSL_CTX_set_max_proto_version(ctx, o.max_version);
  if (!o.ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx, o.ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  }
  if (!o.alpn.empty()) {
    const auto wire = alpn_wire(o.alpn);
    SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<unsigned>(wire.size()));
  }
  return ctx;
}

void name_the_server(SSL* ssl, const TlsClientOptions& o) {
  if (o.server_name.empty()) return;
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (is_ip(o.server_name)) {  // no SNI for an IP literal (RFC 6066 3)
    X509_VERIFY_PARAM_set1_ip_asc(param, o.server_name.c_str());
    return;
  }
  SSL_set_tlsext_host_name(ssl, o.server_name.c_str());
  X509_VERIFY_PARAM_set1_host(param, o.server_name.c_str(), 0);
}

}  // namespace

std::string tls_error_text() {
  const unsigned long e = ERR_peek_last_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return e != 0 ? buf : "no OpenSSL error (the peer closed)";
}

TlsChannel::TlsChannel(int fd, const TlsClientOptions& o) : fd_(fd), ctx_(make_ctx(o)) {
  // OpenSSL writes with write(), not send(MSG_NOSIGNAL): a server that
  // closed first must not kill the test process.
  static const bool ignore_sigpipe = [] { return ::signal(SIGPIPE, SIG_IGN) != SIG_ERR; }();
  (void)ignore_sigpipe;
  ::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK);
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  name_the_server(ssl_, o);
  if (o.session) SSL_set_session(ssl_, o.session.get());
  const auto deadline = Clock::now() + o.timeout;
  ERR_clear_error();
  for (;;) {
    const int r = SSL_connect(ssl_);
    if (r == 1) return;
    if (!wait(r, deadline)) {
      const std::string why = tls_error_text();
      SSL_free(ssl_);
      SSL_CTX_free(ctx_);
      throw std::runtime_error("TLS handshake failed: " + why);
    }
  }
}

TlsChannel::~TlsChannel() {
  SSL_free(ssl_);
  SSL_CTX_free(ctx_);
}

bool TlsChannel::wait(int r, Clock::time_point deadline) {
  const int err = SSL_get_error(ssl_, r);
  if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, static_cast<short>(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

void TlsChannel::send(std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    std::size_t n = 0;
    const int r = SSL_write_ex(ssl_, bytes.data(), bytes.size(), &n);
    if (r == 1) {
      bytes.remove_prefix(n);
    } else if (!wait(r, deadline)) {
      throw std::runtime_error("TLS send: " + tls_error_text());
    }
  }
}

TlsChannel::Fill TlsChannel::fill(std::string& out, Clock::time_point deadline) {
  for (;;) {
    char buf[16384];
    std::size_t n = 0;
    const int r = SSL_read_ex(ssl_, buf, sizeof buf, &n);
    if (r == 1) {
      out.append(buf, n);
      return Fill::data;
    }
    const int err = SSL_get_error(ssl_, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      ERR_clear_error();
      return Fill::closed;  // close_notify, EOF, reset or an alert
    }
    if (!wait(r, deadline)) return Fill::timed_out;
  }
}

void TlsChannel::close_notify() {
  SSL_shutdown(ssl_);
  ERR_clear_error();
}

std::string TlsChannel::version() const {
  return SSL_get_version(ssl_);
}

std::string TlsChannel::alpn() const {
  const unsigned char* p = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(ssl_, &p, &len);
  return std::string(reinterpret_cast<const char*>(p), len);
}

bool TlsChannel::resumed() const {
  return SSL_session_reused(ssl_) == 1;
}

std::string TlsChannel::peer_subject() const {
  X509* cert = SSL_get1_peer_certificate(ssl_);
  if (cert == nullptr) return "";
  char buf[512];
  X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
  X509_free(cert);
  return buf;
}

// A copy: OpenSSL marks a connection's own session not resumable when the
// connection is freed without a close_notify, as tests often do.
TlsSession TlsChannel::session() const {
  SSL_SESSION* own = SSL_get0_session(ssl_);
  return TlsSession(own != nullptr ? SSL_SESSION_dup(own) : nullptr, SSL_SESSION_free);
}

}  // namespace coroserve::test
