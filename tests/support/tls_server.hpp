#pragma once
// HTTPS for corobench's tests: a small HTTP/1.1 server on Python's ssl module,
// with the tests' ECDSA localhost certificate (tls_certs.hpp), that notes every
// handshake (the SNI name it got, whether it resumed a session).
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/process.hpp"

namespace corobench::test {

// One handshake the server completed.
struct Handshake {
  std::string sni;  // "-" when the client sent none
  bool resumed = false;
};

class TlsTestServer {
 public:
  // Serves HTTPS on `host` (a loopback address) and an ephemeral port.
  // Throws std::runtime_error if it does not come up.
  explicit TlsTestServer(const std::string& host = "127.0.0.1");
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
