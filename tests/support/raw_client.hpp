#pragma once
// A deliberately plain HTTP client for tests: POSIX sockets, poll() for
// timeouts, and Beast's response parser fed by hand. It can send any bytes,
// malformed ones included, and read responses one at a time, so tests can
// check pipelining order and exactly what the server put on the wire.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tests/support/tls_client.hpp"

namespace coroserve::test {

using TestResponse = boost::beast::http::response<boost::beast::http::string_body>;

class RawClient {
 public:
  // `source`: the local address to connect from (127.0.0.2, 127.0.0.3, ...:
  // every 127/8 address is loopback on Linux), so that tests can be several
  // clients to the server; the kernel's choice when null.
  explicit RawClient(std::uint16_t port, const char* host = "127.0.0.1",
                     const char* source = nullptr);
  // Over TLS: connects and handshakes; throws std::runtime_error when the
  // handshake fails. Every call below then reads and writes plaintext.
  RawClient(std::uint16_t port, const TlsClientOptions& tls, const char* host = "127.0.0.1");
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  void send(std::string_view bytes);
  // Reads one response; nullopt if the connection closed or the timeout
  // passed first. `head_request`: the response has no body (HEAD).
  std::optional<TestResponse> read_response(
      std::chrono::milliseconds timeout = std::chrono::seconds(10), bool head_request = false);
  // Everything until the server closes (or the timeout passes).
  std::string read_until_close(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // True when the server has closed the connection (EOF or reset) within timeout.
  bool closed_by_server(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Holds back what is sent (TCP_CORK) until the socket is shut down or
  // closed, so that the bytes and the FIN leave in one segment.
  void cork();
  void close();
  int fd() const { return fd_; }
  TlsChannel* tls() { return tls_.get(); }  // nullptr on plain HTTP

 private:
  void bind_source(const char* source);
  enum class Fill { data, closed, timed_out };
  // Waits for bytes and appends them to pending_.
  Fill fill(std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  std::unique_ptr<TlsChannel> tls_;
  std::string pending_;  // received, not yet parsed
};

// The bytes of a GET request for `target`, HTTP/1.1 with a Host header;
// `extra_headers` are whole lines ("Name: value\r\n").
std::string get_request(std::string_view target, std::string_view extra_headers = "");

}  // namespace coroserve::test
