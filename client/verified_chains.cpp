#include "client/verified_chains.hpp"

#include <openssl/x509.h>

#include <algorithm>
#include <limits>

namespace corobench {

namespace {

// DER is self-delimiting: the encodings one after another name the chain.
bool append_der(std::string& out, X509* cert) {
  const int n = i2d_X509(cert, nullptr);
  if (n <= 0) return false;
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(n));
  auto* p = reinterpret_cast<unsigned char*>(out.data() + at);
  return i2d_X509(cert, &p) == n;
}

// The leaf, then every certificate the server sent; empty when one of them
// cannot be encoded (such a chain is never remembered).
std::string chain_der(X509_STORE_CTX* store) {
  std::string der;
  bool whole = append_der(der, X509_STORE_CTX_get0_cert(store));
  STACK_OF(X509)* sent = X509_STORE_CTX_get0_untrusted(store);
  for (int i = 0; whole && i < sk_X509_num(sent); ++i) {
    whole = append_der(der, sk_X509_value(sent, i));
  }
  return whole ? der : std::string();
}

std::time_t to_time(const ASN1_TIME* t, std::time_t otherwise) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return otherwise;
  return timegm(&tm);
}

int verify_through(X509_STORE_CTX* store, void* self) {
  return static_cast<VerifiedChains*>(self)->verify(store, std::time(nullptr));
}

}  // namespace

void VerifiedChains::install(SSL_CTX* ctx) {
  SSL_CTX_set_cert_verify_callback(ctx, verify_through, this);
}

int VerifiedChains::verify(X509_STORE_CTX* store, std::time_t now) {
  std::string der = chain_der(store);
  if (!der.empty()) {
    const std::lock_guard lock(mutex_);
    if (is_known(der, now)) {
      ++counts_.remembered;
      return 1;  // the store's error stays X509_V_OK
    }
  }
  const int ok = X509_verify_cert(store);
  const std::lock_guard lock(mutex_);
  ++counts_.verified;
  if (ok == 1 && !der.empty()) remember(std::move(der), store);
  return ok;
}

VerifiedChains::Counts VerifiedChains::counts() const {
  const std::lock_guard lock(mutex_);
  return counts_;
}

bool VerifiedChains::is_known(const std::string& der, std::time_t now) const {
  return std::any_of(known_.begin(), known_.end(), [&](const Known& k) {
    return k.der == der && now >= k.valid_from && now <= k.valid_to;
  });
}

// The validity of the whole verified chain, up to the trusted root.
void VerifiedChains::remember(std::string der, X509_STORE_CTX* store) {
  Known k{std::move(der), std::numeric_limits<std::time_t>::min(),
          std::numeric_limits<std::time_t>::max()};
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(store);
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    k.valid_from = std::max(k.valid_from, to_time(X509_get0_notBefore(cert), k.valid_from));
    k.valid_to = std::min(k.valid_to, to_time(X509_get0_notAfter(cert), k.valid_to));
  }
  // Two threads may have verified the same chain at once: one entry is kept.
  std::erase_if(known_, [&](const Known& old) { return old.der == k.der; });
  if (known_.size() == kMaxKnown) known_.erase(known_.begin());
  known_.push_back(std::move(k));
}

}  // namespace corobench
