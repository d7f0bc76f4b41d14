#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "client/conn_state.hpp"
#include "client/connect.hpp"
#include "client/request_writer.hpp"
#include "client/response_reader.hpp"

namespace corobench {

struct TlsLink;

// One connection's transport: its socket (kept in ConnState, where the
// timeout sweeper finds it) and, for https://, the TLS stream over that
// socket and the session to resume on the next connection. Writes and reads
// go to the one or the other by a branch, not a virtual call, and add no
// coroutine frame of their own.
class Link {
 public:
  Link(ConnState& st, const ConnectTarget& to);
  ~Link();
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  bool is_open() const noexcept { return st_.sock.is_open(); }

  // Whether the server has closed its side while the connection sat idle
  // (its keep-alive timeout): a request sent now would only meet the close.
  // Asks the kernel without reading, so it holds over TLS too, where a
  // close_notify may wait unread ahead of the end of the stream.
  bool peer_closed() const;

  // Connects and, for https://, handshakes; each step bounded by `timeout`.
  // Records how long each took in `phases` when given (a measured request).
  boost::asio::awaitable<std::optional<ConnectFailure>> open(Clock::duration timeout,
                                                             PhaseStats* phases);

  boost::asio::awaitable<boost::system::error_code> write(
      const std::vector<boost::asio::const_buffer>& requests) {
    return tls_stream_ ? write_requests(*tls_stream_, requests)
                       : write_requests(st_.sock, requests);
  }
  boost::asio::awaitable<ReadResult> read(boost::beast::flat_buffer& buf,
                                          std::optional<ResponseParser>& parser,
                                          bool head_request) {
    return tls_stream_ ? read_response(*tls_stream_, buf, parser, head_request)
                       : read_response(st_.sock, buf, parser, head_request);
  }

  // After an answer: keeps the connection's TLS session (its tickets arrive
  // after the handshake) for the next connection to resume.
  void answered() {
    if (tls_stream_ && !session_kept_) keep_session();
  }

  void close();

 private:
  boost::asio::awaitable<std::optional<ConnectFailure>> handshake(PhaseStats* phases);
  void keep_session();

  ConnState& st_;
  const ConnectTarget& to_;
  std::unique_ptr<TlsLink> tls_;  // the session to resume; the stream's storage
  TlsStream* tls_stream_ = nullptr;
  bool session_kept_ = false;
};

}  // namespace corobench
