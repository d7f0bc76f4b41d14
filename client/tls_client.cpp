#include "client/tls_client.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "client/errors.hpp"
#include "client/use_nothrow.hpp"
#include "common/tls/tls_stream.hpp"

namespace corobench {

namespace asio = boost::asio;

namespace {

// ALPN's wire form: a length byte, then the protocol name.
constexpr unsigned char kAlpnHttp11[] = "\x08http/1.1";

// The trust store: --cacert's file, or the system's. Empty when loaded,
// else what went wrong.
std::string load_trust(SSL_CTX* ctx, const TlsPlan& plan) {
  // OpenSSL would say only "system lib" for a file it cannot open.
  if (!plan.cacert.empty() && ::access(plan.cacert.c_str(), R_OK) != 0) {
    return "cannot read --cacert '" + plan.cacert + "': " + std::strerror(errno);
  }
  ERR_clear_error();
  const int ok = plan.cacert.empty()
                     ? SSL_CTX_set_default_verify_paths(ctx)
                     : SSL_CTX_load_verify_locations(ctx, plan.cacert.c_str(), nullptr);
  if (ok == 1) return {};
  const char* reason = ERR_reason_error_string(ERR_get_error());
  ERR_clear_error();
  const std::string why = reason != nullptr ? reason : "unknown error";
  return plan.cacert.empty()
             ? "cannot load the system's CA certificates: " + why
             : "cannot read --cacert '" + plan.cacert + "' as PEM certificates: " + why;
}

// Partial writes, as the record layer expects: a write may take part of
// its plaintext when the ciphertext buffer fills, and the rest is offered
// again.
SSL_CTX* make_context(const TlsPlan& plan) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) throw std::bad_alloc();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_alpn_protos(ctx, kAlpnHttp11, sizeof kAlpnHttp11 - 1);
  SSL_CTX_set_verify(ctx, plan.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  if (!plan.verify) return ctx;
  if (auto problem = load_trust(ctx, plan); !problem.empty()) {
    SSL_CTX_free(ctx);
    throw UsageError(problem);
  }
  return ctx;
}

}  // namespace

TlsClient::TlsClient(const TlsPlan& plan, const Target& target)
    : plan_(plan), target_(target), ctx_(make_context(plan), &SSL_CTX_free) {
  if (plan_.verify) chains_.install(ctx_.get());
}

// SNI carries a host name, never an address (RFC 6066 §3); the certificate
// is checked against the name, or against the address for a literal.
void TlsClient::prepare(SSL* ssl) const {
  if (!target_.host_is_ip) SSL_set_tlsext_host_name(ssl, target_.host.c_str());
  if (!plan_.verify) return;
  if (target_.host_is_ip) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), target_.host.c_str());
  } else {
    SSL_set1_host(ssl, target_.host.c_str());
  }
}

asio::awaitable<boost::system::error_code> TlsClient::handshake(TlsStream& stream,
                                                                SSL_SESSION* session) const {
  SSL* ssl = stream.ssl();
  prepare(ssl);
  if (session && plan_.resume) SSL_set_session(ssl, session);
  auto [ec] = co_await stream.async_handshake(use_nothrow);
  co_return ec;
}

namespace {

// What the user can do about a certificate refused for `verify`: only an
// unknown issuer is fixed by trusting a CA.
const char* verify_hint(long verify) {
  switch (verify) {
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return " (the certificate does not name the host of the URL: use a name or address it "
             "carries, or skip the check with --insecure)";
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return " (the server needs a certificate valid now, or skip the check with --insecure)";
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      return " (trust its CA with --cacert FILE, or skip the check with --insecure)";
    default:
      return " (skip the check with --insecure)";
  }
}

}  // namespace

std::string TlsClient::describe_failure(TlsStream& stream, const boost::system::error_code& ec) {
  const long verify = SSL_get_verify_result(stream.ssl());
  if (verify != X509_V_OK) {
    return std::string("the server's certificate was not accepted: ") +
           X509_verify_cert_error_string(verify) + verify_hint(verify);
  }
  // A plain HTTP server answers a ClientHello with bytes that are no TLS
  // record; OpenSSL calls that a wrong version number.
  const bool plain_peer =
      ec.category() == coroserve::tls::tls_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_WRONG_VERSION_NUMBER;
  return "TLS handshake failed: " + ec.message() +
         (plain_peer ? " (the server does not speak TLS there: an http:// URL?)" : "");
}

}  // namespace corobench
