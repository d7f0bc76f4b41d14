#pragma once
// Remembers the certificate chains a run has verified. A run talks to one
// server, which shows the same chain on every connection, and with OpenSSL
// 3.0 verifying it (signatures, and the key decoders behind them) is about
// a quarter of the client's CPU in a full handshake: a storm of them would
// measure the generator's verifications more than the server. A chain whose
// bytes match one verified before is accepted while all of its certificates
// are within their validity periods; any other chain is verified in full, as
// OpenSSL would. The signature over the handshake (CertificateVerify), which
// proves the server holds the key, is still checked on every connection.
#include <openssl/ssl.h>

#include <cstdint>
#include <ctime>
#include <mutex>
#include <string>
#include <vector>

namespace corobench {

class VerifiedChains {
 public:
  // Makes `ctx` check chains through this object, which must outlive it.
  // One object per target: the name a chain was checked against is not part
  // of what is remembered.
  void install(SSL_CTX* ctx);

  // OpenSSL's verification step: 1 when the chain in `store` is trusted.
  int verify(X509_STORE_CTX* store, std::time_t now);

  struct Counts {
    std::uint64_t verified = 0;    // chains verified in full
    std::uint64_t remembered = 0;  // chains accepted as verified before
  };
  Counts counts() const;

 private:
  struct Known {
    std::string der;         // the certificates the server sent, in order
    std::time_t valid_from;  // the chain's validity: the latest start and
    std::time_t valid_to;    // the earliest end of its certificates'
  };
  bool is_known(const std::string& der, std::time_t now) const;
  void remember(std::string der, X509_STORE_CTX* store);

  static constexpr std::size_t kMaxKnown = 8;  // a server rotating through more is rechecked
  mutable std::mutex mutex_;                   // the threads of a run share one context
  std::vector<Known> known_;
  Counts counts_;
};

}  // namespace corobench
