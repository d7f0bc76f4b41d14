// corobench's memory of verified certificate chains, over the tests' real
// certificates: a trusted chain is verified once and then remembered, an
// untrusted one is never let through, and a remembered chain outside its
// validity period is verified in full again.
#include "client/verified_chains.hpp"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/tls_certs.hpp"

namespace corobench {
namespace {

using coroserve::test::test_certs;

using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

// Every certificate in a PEM file, in order (a server's chain file: the
// leaf, then the intermediate).
std::vector<X509Ptr> read_pem(const std::string& path) {
  std::vector<X509Ptr> certs;
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return certs;
  while (X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr)) certs.emplace_back(c, X509_free);
  std::fclose(f);
  return certs;
}

// What a client checking "localhost" against `ca` does with `chain_file`:
// the store and the context OpenSSL hands to the verification step.
class Check {
 public:
  Check(const std::string& ca, const std::string& chain_file)
      : store_(X509_STORE_new()), sent_(sk_X509_new_null()), chain_(read_pem(chain_file)) {
    X509_STORE_load_file(store_, ca.c_str());
    for (auto& c : chain_) sk_X509_push(sent_, c.get());
  }
  ~Check() {
    sk_X509_free(sent_);
    X509_STORE_free(store_);
  }
  Check(const Check&) = delete;
  Check& operator=(const Check&) = delete;

  bool has_chain() const { return chain_.size() == 2; }

  // One connection's check, at `now`.
  int run(VerifiedChains& chains, std::time_t now) {
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store_, chain_.front().get(), sent_);
    X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), "localhost", 0);
    const int ok = chains.verify(ctx, now);
    X509_STORE_CTX_free(ctx);
    return ok;
  }

 private:
  X509_STORE* store_;
  STACK_OF(X509) * sent_;
  std::vector<X509Ptr> chain_;
};

TEST(VerifiedChains, ATrustedChainIsVerifiedOnceThenRemembered) {
  Check check(test_certs().ca, test_certs().rsa_cert);
  ASSERT_TRUE(check.has_chain());
  VerifiedChains chains;
  const std::time_t now = std::time(nullptr);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(check.run(chains, now), 1) << i;
  EXPECT_EQ(chains.counts().verified, 1u);
  EXPECT_EQ(chains.counts().remembered, 4u);
  // Another chain is verified on its own, then remembered beside the first.
  Check other(test_certs().ca, test_certs().ecdsa_cert);
  EXPECT_EQ(other.run(chains, now), 1);
  EXPECT_EQ(other.run(chains, now), 1);
  EXPECT_EQ(check.run(chains, now), 1);
  EXPECT_EQ(chains.counts().verified, 2u);
  EXPECT_EQ(chains.counts().remembered, 6u);
}

TEST(VerifiedChains, AnUntrustedChainIsRefusedEveryTime) {
  coroserve::test::TempDir dir;
  coroserve::test::make_certs(dir.path());  // another CA, which the check does not trust
  Check check(test_certs().ca, dir.path() + "/localhost-rsa.crt");
  ASSERT_TRUE(check.has_chain());
  VerifiedChains chains;
  for (int i = 0; i < 3; ++i) EXPECT_NE(check.run(chains, std::time(nullptr)), 1) << i;
  EXPECT_EQ(chains.counts().verified, 3u);
  EXPECT_EQ(chains.counts().remembered, 0u);
}

TEST(VerifiedChains, ARememberedChainPastItsValidityIsVerifiedAgain) {
  Check check(test_certs().ca, test_certs().rsa_cert);
  ASSERT_TRUE(check.has_chain());
  VerifiedChains chains;
  const std::time_t now = std::time(nullptr);
  ASSERT_EQ(check.run(chains, now), 1);
  const std::time_t in_ten_years = now + 10L * 365 * 24 * 3600;  // the certificates last 30 days
  check.run(chains, in_ten_years);
  EXPECT_EQ(chains.counts().verified, 2u);
  EXPECT_EQ(chains.counts().remembered, 0u);
}

}  // namespace
}  // namespace corobench
