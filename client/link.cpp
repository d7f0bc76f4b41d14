#include "client/link.hpp"

#include <poll.h>

#include "client/tls_client.hpp"

namespace corobench {

namespace asio = boost::asio;

// The TLS state of a connection: the stream of the current connection and
// the session kept from an earlier one.
struct TlsLink {
  std::optional<TlsStream> stream;
  TlsSession session = no_session();
};

namespace {

std::int64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

}  // namespace

Link::Link(ConnState& st, const ConnectTarget& to) : st_(st), to_(to) {
  if (to_.tls) tls_ = std::make_unique<TlsLink>();
}

Link::~Link() = default;

asio::awaitable<std::optional<ConnectFailure>> Link::open(Clock::duration timeout,
                                                          PhaseStats* phases) {
  const auto start = Clock::now();
  if (auto failure = co_await connect_socket(st_, to_, timeout)) co_return failure;
  if (phases) phases->connect.record(ns_between(start, Clock::now()));
  if (!tls_) co_return std::nullopt;
  st_.arm(timeout);
  auto failure = co_await handshake(phases);
  st_.disarm();
  if (failure) close();
  co_return failure;
}

asio::awaitable<std::optional<ConnectFailure>> Link::handshake(PhaseStats* phases) {
  const auto start = Clock::now();
  tls_->stream.emplace(st_.sock, to_.tls->context());
  tls_stream_ = &*tls_->stream;
  session_kept_ = false;
  const auto ec = co_await to_.tls->handshake(*tls_stream_, tls_->session.get());
  if (ec) {
    const ErrorKind kind = classify(ec, st_, ErrorKind::tls);
    co_return ConnectFailure{kind, ec, false, TlsClient::describe_failure(*tls_stream_, ec), true};
  }
  if (phases) {
    SSL* ssl = tls_stream_->ssl();
    phases->tls_handshake.record(ns_between(start, Clock::now()));
    ++phases->tls_handshakes;
    if (SSL_session_reused(ssl)) ++phases->tls_resumed;
    if (phases->tls_protocol.empty()) {
      phases->tls_protocol = SSL_get_version(ssl);
      phases->tls_cipher = SSL_get_cipher_name(ssl);
    }
  }
  co_return std::nullopt;
}

void Link::keep_session() {
  session_kept_ = true;
  if (!to_.tls->resume()) return;
  if (SSL_SESSION* s = SSL_get1_session(tls_stream_->ssl())) tls_->session.reset(s);
}

bool Link::peer_closed() const {
  // POLLRDHUP: the peer's FIN has arrived, whatever is still unread before it.
  pollfd p{st_.sock.native_handle(), POLLRDHUP, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void Link::close() {
  // No close_notify: the connection is dropped, as a load generator's
  // connections are, without waiting for the peer's answer to it. Marked as
  // shut down all the same: OpenSSL makes the session of a connection freed
  // without it unresumable, and that session is the one kept to resume.
  if (tls_stream_) {
    SSL_set_shutdown(tls_stream_->ssl(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  }
  tls_stream_ = nullptr;
  if (tls_) tls_->stream.reset();
  boost::system::error_code ignored;
  st_.sock.close(ignored);
}

}  // namespace corobench
