#pragma once
// The server's TLS settings as one OpenSSL SSL_CTX, built from the
// certificate chain and key files: TLS 1.2 and 1.3 only, ALPN http/1.1,
// session tickets on (no stateful session cache), renegotiation refused,
// RSA or ECDSA keys. A context is read-only once built and shared by every
// connection whose handshake began under it; a reload builds a new one and
// new handshakes take it, while open connections keep theirs.
#include <memory>
#include <stdexcept>
#include <string>

struct ssl_ctx_st;

namespace coroserve::tls {

using ContextPtr = std::shared_ptr<ssl_ctx_st>;

// A certificate or key that cannot be used: what is wrong, and which file.
class SetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Files {
  std::string cert;  // the chain, PEM: the server's certificate first
  std::string key;   // its private key, PEM
};

// Builds the context; throws SetupError naming the flag and the file.
ContextPtr make_context(const Files& files);

// Gives `to` the session-ticket keys of `from`, so that tickets issued
// before a reload still resume after it.
void keep_ticket_keys(ssl_ctx_st* from, ssl_ctx_st* to);

// "CN=localhost, not after Nov 26 09:05:05 2027 GMT": for the log and /stats.
std::string describe_certificate(ssl_ctx_st* ctx);

// Empty while the server's certificate is valid; else what is wrong
// ("expired on ...", "not valid before ..."): a client that checks it
// refuses every handshake.
std::string validity_problem(ssl_ctx_st* ctx);

}  // namespace coroserve::tls
