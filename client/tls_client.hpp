#pragma once
#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <memory>
#include <string>

#include "client/target_url.hpp"
#include "client/tls_plan.hpp"
#include "client/tls_stream.hpp"
#include "client/verified_chains.hpp"

namespace corobench {

// A session to resume, owned (SSL_SESSION is reference counted).
using TlsSession = std::unique_ptr<SSL_SESSION, decltype(&SSL_SESSION_free)>;
inline TlsSession no_session() {
  return TlsSession(nullptr, &SSL_SESSION_free);
}

// What every HTTPS connection of a run shares: one OpenSSL context (TLS 1.2
// and 1.3, ALPN http/1.1, the trust store) used by all threads, and the
// name each connection presents (SNI) and checks the certificate against.
class TlsClient {
 public:
  // Throws UsageError when --cacert cannot be read as PEM certificates.
  TlsClient(const TlsPlan& plan, const Target& target);
  TlsClient(TlsClient&&) = delete;  // the context points at chains_

  SSL_CTX* context() const noexcept { return ctx_.get(); }
  bool resume() const noexcept { return plan_.resume; }
  // How the server's certificate chains were checked, the check before the
  // run's start included.
  VerifiedChains::Counts chain_checks() const { return chains_.counts(); }

  // Handshakes on a new stream over a connected socket, offering `session`
  // when given. Errors come back as values, like every socket operation.
  boost::asio::awaitable<boost::system::error_code> handshake(TlsStream& stream,
                                                              SSL_SESSION* session) const;

  // Why a handshake failed, in words: OpenSSL's reason, the certificate
  // check's when that was it, and what to do about it.
  static std::string describe_failure(TlsStream& stream, const boost::system::error_code& ec);

 private:
  void prepare(SSL* ssl) const;

  TlsPlan plan_;
  Target target_;
  VerifiedChains chains_;  // before ctx_, which calls it, so that it outlives ctx_
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx_;
};

}  // namespace corobench
