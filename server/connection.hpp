#pragma once
// The loop-owned state of one client connection. Shared (shared_ptr) only so
// that a pending client-watch callback can never outlive it.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/intrusive/list_hook.hpp>

#include <chrono>
#include <cstdint>

namespace coroserve {

using SteadyClock = std::chrono::steady_clock;

// What the connection is doing; the sweeper and the drain look at it.
enum class Phase { idle, reading_header, reading_body, handling, writing, closing };

struct Connection : boost::intrusive::list_base_hook<> {
  explicit Connection(boost::asio::ip::tcp::socket s, std::uint64_t id_)
      : socket(std::move(s)), id(id_) {}

  // Enters a phase with a deadline; past it the sweeper cancels the socket's
  // pending operation and sets `timed_out`.
  void enter(Phase p, std::chrono::milliseconds limit) {
    phase = p;
    since = SteadyClock::now();
    deadline = since + limit;
    timed_out = false;
    park_requested = false;
  }
  // Enters a phase with no deadline (a handler is running).
  void enter(Phase p) {
    phase = p;
    deadline = SteadyClock::time_point::max();
    park_requested = false;
  }

  boost::asio::ip::tcp::socket socket;
  std::uint64_t id;
  Phase phase = Phase::idle;
  SteadyClock::time_point since;  // when the phase began (enter() with a limit)
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  bool timed_out = false;       // the sweeper ended the last socket operation
  bool drain_closed = false;    // the drain ended an idle wait
  bool client_gone = false;     // the client-watch saw EOF or a reset mid-request
  bool watching = false;        // a client-watch is armed
  bool park_requested = false;  // the sweeper ended an idle read so the session parks
  bool parked = false;          // no session: only a wait for the next request's bytes
  boost::asio::cancellation_signal gone_signal;  // emitted when client_gone is set
};

}  // namespace coroserve
