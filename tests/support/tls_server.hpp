#pragma once
// HTTPS for corobench's tests: a throwaway CA and a server certificate made
// with the `openssl` command (SANs DNS:localhost, IP:127.0.0.1, IP:::1), and
// a small HTTP/1.1 server on Python's ssl module that notes every handshake
// (the SNI name it got, whether it resumed a session).
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/process.hpp"

namespace corobench::test {

// A CA and the certificate it signed, in PEM files of a temporary directory.
class TestCa {
 public:
  TestCa();  // throws std::runtime_error when openssl fails
  std::string ca_cert() const { return dir_.file("ca.pem"); }
  std::string cert() const { return dir_.file("server.pem"); }
  std::string key() const { return dir_.file("server.key"); }

 private:
  coroserve::test::TempDir dir_;
};

// One handshake the server completed.
struct Handshake {
  std::string sni;  // "-" when the client sent none
  bool resumed = false;
};

class TlsTestServer {
 public:
  // Serves HTTPS on `host` (a loopback address) and an ephemeral port with
  // `ca`'s server certificate. Throws std::runtime_error if it does not
  // come up.
  explicit TlsTestServer(const TestCa& ca, const std::string& host = "127.0.0.1");
  ~TlsTestServer();

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& host, const std::string& path = "/") const {
    return "https://" + host + ":" + std::to_string(port_) + path;
  }
  // The handshakes so far, in order.
  std::vector<Handshake> handshakes() const;
  // Waits (bounded) until `n` handshakes are logged; false if they are not.
  bool wait_for_handshakes(std::size_t n) const;

 private:
  coroserve::test::TempDir dir_;
  coroserve::test::Process proc_;
  std::uint16_t port_ = 0;
};

}  // namespace corobench::test
