#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

#include "client/rate_scheduler.hpp"
#include "client/stats.hpp"

namespace corobench {

// One connection's socket and its request deadline. The thread's timeout
// sweeper cancels the socket once the deadline passes, or at once when the
// run is stopped: one steady_timer per thread instead of a timer arm and
// cancel per request.
struct ConnState {
  explicit ConnState(boost::asio::io_context& ioc) : sock(ioc) {}
  boost::asio::ip::tcp::socket sock;
  Clock::time_point deadline = Clock::time_point::max();
  bool timed_out = false;
  bool stopped = false;  // cancelled because the run was stopped

  bool armed() const noexcept { return deadline != Clock::time_point::max(); }

  // Starts the clock on one operation (connect, write or one answer).
  void arm(Clock::duration timeout) {
    deadline = Clock::now() + timeout;
    timed_out = false;
  }
  void disarm() noexcept { deadline = Clock::time_point::max(); }
};

// Names what an I/O error means for the request: `stopped` or a timeout when
// the sweeper cancelled the socket, `malformed` or `read` for the parser's errors, and
// `io_kind` (the operation that failed) for anything else.
ErrorKind classify(const boost::beast::error_code& ec, const ConnState& st, ErrorKind io_kind);

}  // namespace corobench
