#include "tests/support/tls_certs.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {

void make_certs(const std::string& dir) {
  const auto run =
      run_capture({"/bin/bash", COROSERVE_DEV_CERTS_SCRIPT, dir, "2"}, std::chrono::seconds(60));
  if (!run.status.success()) {
    throw std::runtime_error("scripts/dev-certs.sh " + dir + ": " + run.status.describe() + "\n" +
                             run.out + run.err);
  }
}

const TestCerts& test_certs() {
  static const std::unique_ptr<TempDir> dir = std::make_unique<TempDir>("coroserve-certs");
  static const TestCerts certs = [] {
    make_certs(dir->path());
    return TestCerts{dir->path(),
                     dir->file("ca.crt"),
                     dir->file("localhost-ecdsa.crt"),
                     dir->file("localhost-ecdsa.key"),
                     dir->file("localhost-rsa.crt"),
                     dir->file("localhost-rsa.key")};
  }();
  return certs;
}

void write_expired_pair(const std::string& cert_path, const std::string& key_path) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  if (!key || !cert) throw std::runtime_error("cannot make an expired certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  ASN1_TIME_set_string(X509_getm_notBefore(cert.get()), "20200101000000Z");
  ASN1_TIME_set_string(X509_getm_notAfter(cert.get()), "20210101000000Z");
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("cannot sign an expired certificate");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> c(BIO_new_file(cert_path.c_str(), "w"), BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> k(BIO_new_file(key_path.c_str(), "w"), BIO_free);
  if (!c || !k || PEM_write_bio_X509(c.get(), cert.get()) != 1 ||
      PEM_write_bio_PrivateKey(k.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot write an expired certificate to " + cert_path);
  }
}

Config tls_test_config(bool rsa) {
  const auto& certs = test_certs();
  Config c = test_config();
  c.tls_cert = rsa ? certs.rsa_cert : certs.ecdsa_cert;
  c.tls_key = rsa ? certs.rsa_key : certs.ecdsa_key;
  c.admin_port = 0;
  return c;
}

TlsClientOptions trusting_client() {
  TlsClientOptions o;
  o.ca_file = test_certs().ca;
  return o;
}

}  // namespace coroserve::test
