#include "tests/support/tls_certs.hpp"

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
