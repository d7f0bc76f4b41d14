#pragma once
// The tests' certificate authority and localhost certificates (SANs
// DNS:localhost, IP:127.0.0.1, IP:::1; an intermediate in each chain), made
// once per test process by scripts/dev-certs.sh with the openssl command,
// into a temporary directory; and the configs and clients that use them.
#include <string>

#include "server/config.hpp"
#include "tests/support/tls_client.hpp"

namespace coroserve::test {

struct TestCerts {
  std::string dir;
  std::string ca;  // the root to trust
  std::string ecdsa_cert, ecdsa_key;
  std::string rsa_cert, rsa_key;
};

// Throws std::runtime_error (with the script's output) when they cannot be made.
const TestCerts& test_certs();

// Makes another set into `dir` (a different key and serial: for reloads).
void make_certs(const std::string& dir);

// Writes a self-signed ECDSA certificate for localhost that expired on
// 2021-01-01, and its key (the openssl command cannot make one in the past).
void write_expired_pair(const std::string& cert_path, const std::string& key_path);

// test_config() serving HTTPS with the ECDSA (or RSA) certificate, and an
// --admin-port (ephemeral) to read /stats and /metrics from in plain HTTP.
Config tls_test_config(bool rsa = false);

// A client that trusts the test CA and checks the name "localhost".
TlsClientOptions trusting_client();

}  // namespace coroserve::test
