#include "server/tls/context.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace coroserve::tls {

namespace {

// The protocols this server speaks, in its order of preference.
constexpr unsigned char kAlpn[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1',
                                   8, 'h', 't', 't', 'p', '/', '1', '.', '0'};
constexpr unsigned char kSessionIdContext[] = {'c', 'o', 'r', 'o', 's', 'e', 'r', 'v', 'e'};

// The last OpenSSL error as text ("no start line"); the queue is emptied.
std::string openssl_reason() {
  const unsigned long e = ERR_peek_last_error();
  const char* reason = e != 0 ? ERR_reason_error_string(e) : nullptr;
  ERR_clear_error();
  return reason != nullptr ? reason : "unknown OpenSSL error";
}

[[noreturn]] void fail(const char* flag, const std::string& path, const std::string& what) {
  throw SetupError(std::string(flag) + " " + path + ": " + what);
}

[[noreturn]] void mismatch(const Files& f) {
  ERR_clear_error();
  throw SetupError("--tls-key " + f.key + ": does not match the certificate in --tls-cert " +
                   f.cert);
}

// fopen first: its errno tells "No such file" from "Permission denied",
// which OpenSSL's error for the same failure does not.
void check_readable(const char* flag, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) fail(flag, path, std::string("cannot read it: ") + std::strerror(errno));
  std::fclose(f);
}

// HTTP/1.1, or HTTP/1.0 for a client that offers only that. A client that
// offers ALPN without either gets the no_application_protocol alert (RFC
// 7301 3.2).
int select_alpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                unsigned int inlen, void*) {
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kAlpn, sizeof kAlpn, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

// An encrypted key would make OpenSSL prompt on the terminal: refuse
// instead, and note that one was asked for (`asked` points at a bool), so
// that the error can say the key is encrypted.
int no_passphrase(char*, int, int, void* asked) {
  if (asked != nullptr) *static_cast<bool*>(asked) = true;
  return 0;
}

void configure(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
  // TLS 1.2: forward-secret AEAD suites only (1.3 has nothing else).
  SSL_CTX_set_cipher_list(ctx, "ECDHE+AESGCM:ECDHE+CHACHA20");
  // Record buffers go back after every record unless a busy session keeps
  // them (session.cpp); writes may end after a record (the ciphertext
  // buffers between SSL and the socket are bounded).
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // Resumption by tickets alone: a server-side cache would hold memory per
  // client (20,480 sessions by default) for what a ticket carries itself.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext);
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
}

void load_pair(SSL_CTX* ctx, const Files& f) {
  check_readable("--tls-cert", f.cert);
  check_readable("--tls-key", f.key);
  if (SSL_CTX_use_certificate_chain_file(ctx, f.cert.c_str()) != 1) {
    fail("--tls-cert", f.cert, "no usable PEM certificate in it (" + openssl_reason() + ")");
  }
  bool passphrase_asked = false;
  SSL_CTX_set_default_passwd_cb_userdata(ctx, &passphrase_asked);
  const int used = SSL_CTX_use_PrivateKey_file(ctx, f.key.c_str(), SSL_FILETYPE_PEM);
  SSL_CTX_set_default_passwd_cb_userdata(ctx, nullptr);
  if (used != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) mismatch(f);
    if (passphrase_asked) {
      fail("--tls-key", f.key,
           "the key is encrypted, and no passphrase is taken (write it unencrypted: openssl "
           "pkey -in " +
               f.key + " -out KEY.pem)");
    }
    fail("--tls-key", f.key, "no usable PEM private key in it (" + openssl_reason() + ")");
  }
  // A key of another type than the certificate's lands in another slot
  // without complaint; this check catches it.
  if (SSL_CTX_check_private_key(ctx) != 1) mismatch(f);
}

}  // namespace

ContextPtr make_context(const Files& files) {
  if (files.cert.empty() || files.key.empty()) {
    throw SetupError(files.cert.empty() ? "--tls-key is given without --tls-cert"
                                        : "--tls-cert is given without --tls-key");
  }
  ContextPtr ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
  if (!ctx) throw SetupError("cannot create a TLS context: " + openssl_reason());
  configure(ctx.get());
  load_pair(ctx.get(), files);
  return ctx;
}

void keep_ticket_keys(ssl_ctx_st* from, ssl_ctx_st* to) {
  unsigned char keys[80];  // name, HMAC key and AES key, as OpenSSL hands them out
  if (SSL_CTX_get_tlsext_ticket_keys(from, keys, sizeof keys) == 1) {
    SSL_CTX_set_tlsext_ticket_keys(to, keys, sizeof keys);
  }
  OPENSSL_cleanse(keys, sizeof keys);
  ERR_clear_error();
}

namespace {

std::string asn1_time_text(const ASN1_TIME* t) {
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  ASN1_TIME_print(out.get(), t);
  char* text = nullptr;
  const long n = BIO_get_mem_data(out.get(), &text);
  return std::string(text, static_cast<std::size_t>(n));
}

}  // namespace

std::string validity_problem(ssl_ctx_st* ctx) {
  X509* cert = SSL_CTX_get0_certificate(ctx);
  if (cert == nullptr) return {};
  if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
    return "expired on " + asn1_time_text(X509_get0_notAfter(cert));
  }
  if (X509_cmp_current_time(X509_get0_notBefore(cert)) > 0) {
    return "not valid before " + asn1_time_text(X509_get0_notBefore(cert));
  }
  return {};
}

std::string describe_certificate(ssl_ctx_st* ctx) {
  X509* cert = SSL_CTX_get0_certificate(ctx);
  if (cert == nullptr) return "no certificate";
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
  X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0, XN_FLAG_ONELINE);
  BIO_puts(out.get(), ", not after ");
  ASN1_TIME_print(out.get(), X509_get0_notAfter(cert));
  char* text = nullptr;
  const long n = BIO_get_mem_data(out.get(), &text);
  return std::string(text, static_cast<std::size_t>(n));
}

}  // namespace coroserve::tls
