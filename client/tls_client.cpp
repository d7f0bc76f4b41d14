#include "client/tls_client.hpp"

#include <openssl/x509v3.h>

#include "client/errors.hpp"
#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace ssl = asio::ssl;

namespace {

// ALPN's wire form: a length byte, then the protocol name.
constexpr unsigned char kAlpnHttp11[] = "\x08http/1.1";

ssl::context make_context(const TlsPlan& plan) {
  ssl::context ctx(ssl::context::tls_client);
  SSL_CTX* native = ctx.native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_alpn_protos(native, kAlpnHttp11, sizeof kAlpnHttp11 - 1);
  if (!plan.verify) {
    ctx.set_verify_mode(ssl::verify_none);
    return ctx;
  }
  ctx.set_verify_mode(ssl::verify_peer);
  boost::system::error_code ec;
  if (plan.cacert.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    ctx.load_verify_file(plan.cacert, ec);
  }
  if (ec) {
    throw UsageError(plan.cacert.empty()
                         ? "cannot load the system's CA certificates: " + ec.message()
                         : "cannot read --cacert '" + plan.cacert +
                               "' as PEM certificates: " + ec.message());
  }
  return ctx;
}

}  // namespace

TlsClient::TlsClient(const TlsPlan& plan, const Target& target)
    : plan_(plan), target_(target), ctx_(make_context(plan)) {}

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
  SSL* ssl = stream.native_handle();
  prepare(ssl);
  if (session && plan_.resume) SSL_set_session(ssl, session);
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, use_nothrow);
  co_return ec;
}

std::string TlsClient::describe_failure(TlsStream& stream, const boost::system::error_code& ec) {
  const long verify = SSL_get_verify_result(stream.native_handle());
  if (verify != X509_V_OK) {
    return std::string("the server's certificate was not accepted: ") +
           X509_verify_cert_error_string(verify) +
           " (trust its CA with --cacert FILE, or skip the check with --insecure)";
  }
  return "TLS handshake failed: " + ec.message();
}

}  // namespace corobench
