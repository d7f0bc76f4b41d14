#pragma once
// The client side of TLS for tests: OpenSSL over a connected socket, with
// poll() for timeouts, so that RawClient speaks HTTPS; and what a test asks
// of a handshake (version, ALPN, resumption, the server's certificate).
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct ssl_st;
struct ssl_ctx_st;
struct ssl_session_st;

namespace coroserve::test {

using TlsSession = std::shared_ptr<ssl_session_st>;

struct TlsClientOptions {
  std::string ca_file;                           // trust this root; empty: verify nothing
  std::string server_name = "localhost";         // SNI (a DNS name) and the name verified
  std::vector<std::string> alpn = {"http/1.1"};  // empty: no ALPN extension
  int min_version = 0;                           // TLS1_2_VERSION, ...; 0: OpenSSL's default
  int max_version = 0;
  bool legacy = false;  // security level 0, so that TLS 1.0 and 1.1 can be offered at all
  TlsSession session;   // a session to resume
  std::chrono::milliseconds timeout = std::chrono::seconds(20);
};

class TlsChannel {
 public:
  using Clock = std::chrono::steady_clock;

  // Makes the socket non-blocking and handshakes on it; throws
  // std::runtime_error with OpenSSL's reason when the handshake fails.
  TlsChannel(int fd, const TlsClientOptions& options);
  ~TlsChannel();
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  void send(std::string_view bytes, Clock::time_point deadline);  // throws
  enum class Fill { data, closed, timed_out };
  // Appends what arrives to `out`; closed on close_notify, EOF or reset.
  Fill fill(std::string& out, Clock::time_point deadline);
  void close_notify();

  std::string version() const;  // "TLSv1.3"
  std::string alpn() const;     // "" when none was agreed
  bool resumed() const;
  std::string peer_subject() const;  // the server certificate's subject, one line
  TlsSession session() const;        // to resume later (TLS 1.3: after a response)
  ssl_st* ssl() { return ssl_; }

 private:
  // Waits for the socket as OpenSSL asks after a call that returned `r`;
  // false on timeout, on a failure, or when `r` was not a retry.
  bool wait(int r, Clock::time_point deadline);

  int fd_;
  ssl_ctx_st* ctx_ = nullptr;
  ssl_st* ssl_ = nullptr;
};

// OpenSSL's reason for the last failure on this thread ("tlsv1 alert protocol version").
std::string tls_error_text();

}  // namespace coroserve::test
