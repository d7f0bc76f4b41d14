#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <vector>

#include "client/conn_state.hpp"

namespace corobench {

// Why a connect failed: the kind the request is counted under, the system's
// reason, and whether it was the --bind address that could not be used.
struct ConnectFailure {
  ErrorKind kind = ErrorKind::connect;
  boost::system::error_code ec;
  bool bind_failed = false;
  std::string detail;         // a failed TLS handshake's reason, in words
  bool in_handshake = false;  // the TCP connect worked; the TLS handshake failed
};

class TlsClient;

// Where connections go, where they come from, and whether they speak TLS.
struct ConnectTarget {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // tried in order
  std::optional<boost::asio::ip::address> bind;           // --bind: the source address
  TlsClient* tls = nullptr;                               // https://: shared by all threads
};

// Opens the connection's socket to the first endpoint that answers, from the
// --bind address if one is given, bounded by `timeout` (the thread's sweeper
// enforces it), with Nagle off (no small write waits for an ACK). Returns
// why it failed, or nothing once connected.
boost::asio::awaitable<std::optional<ConnectFailure>> connect_socket(ConnState& st,
                                                                     const ConnectTarget& to,
                                                                     Clock::duration timeout);

// The endpoints of `eps` that a socket bound to `bind` can reach (same
// address family); all of them without a bind.
std::vector<boost::asio::ip::tcp::endpoint> reachable_from(
    const std::vector<boost::asio::ip::tcp::endpoint>& eps,
    const std::optional<boost::asio::ip::address>& bind);

}  // namespace corobench
