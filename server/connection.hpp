#pragma once
// The loop-owned state of one client connection. Shared (shared_ptr) only so
// that a pending client-watch callback or a parked wait can never outlive it.
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/intrusive/list_hook.hpp>

#include <time.h>

#include <chrono>
#include <cstdint>

#include "server/stream.hpp"

namespace coroserve {

using SteadyClock = std::chrono::steady_clock;

// The steady clock as of the kernel's last tick (1 to 4 ms old). A phase's
// deadline is checked by a sweep every 5 ms or more, so it needs no finer
// time, and this read costs a fifth of a precise one (no TSC read under a
// hypervisor). Same clock as SteadyClock (CLOCK_MONOTONIC), so the two
// compare.
inline SteadyClock::time_point coarse_steady_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return SteadyClock::time_point(std::chrono::seconds(ts.tv_sec) +
                                 std::chrono::nanoseconds(ts.tv_nsec));
}

// What the connection is doing; the sweeper and the drain look at it.
enum class Phase { handshake, idle, reading_header, reading_body, handling, writing, closing };

// Why the connection's pending operation was cancelled, weakest first: a
// stronger reason is never overwritten by a weaker one, and entering the
// next phase clears it (except client_gone: a client that left stays gone).
enum class CancelReason {
  none,
  park,         // idle past --idle-park-ms: the session gives its memory back
  deadline,     // the phase's timeout passed
  drain,        // the server is shutting down
  client_gone,  // the client closed while its request was handled
};

struct Connection : boost::intrusive::list_base_hook<> {
  Connection(boost::asio::ip::tcp::socket s, boost::asio::ip::address peer_, std::uint64_t id_,
             bool admin_ = false)
      : stream(std::move(s)), id(id_), admin(admin_), peer(peer_) {}

  // Enters a phase with a deadline; past it the sweeper cancels the socket's
  // pending operation for CancelReason::deadline.
  void enter(Phase p, std::chrono::milliseconds limit) {
    phase = p;
    since = coarse_steady_now();
    deadline = since + limit;
    clear_cancel();
  }
  // Enters a phase with no deadline (a handler is running).
  void enter(Phase p) {
    phase = p;
    deadline = SteadyClock::time_point::max();
    clear_cancel();
  }

  // Ends the socket's pending operation and says why.
  void cancel(CancelReason why) {
    if (why > cancelled) cancelled = why;
    boost::system::error_code ignored;
    stream.socket().cancel(ignored);
  }
  // The client left mid-request: work done for it is abandoned.
  void client_left() {
    cancelled = CancelReason::client_gone;
    gone_signal.emit(boost::asio::cancellation_type::terminal);
  }
  bool timed_out() const { return cancelled == CancelReason::deadline; }
  bool client_gone() const { return cancelled == CancelReason::client_gone; }

  Stream stream;
  std::uint64_t id;
  bool admin = false;             // came in on --admin-port: only the ops endpoints
  boost::asio::ip::address peer;  // the client's address, from the accept (the default client key)
  Phase phase = Phase::idle;
  SteadyClock::time_point since;  // when the phase began (enter() with a limit)
  SteadyClock::time_point deadline = SteadyClock::time_point::max();
  CancelReason cancelled = CancelReason::none;
  bool watching = false;  // state: a client watch is armed (client_watch.hpp)
  bool parked = false;    // state: no session, only a wait for the next request (parking.hpp)
  boost::asio::cancellation_signal gone_signal;  // emitted by client_left()

 private:
  void clear_cancel() {
    if (cancelled != CancelReason::client_gone) cancelled = CancelReason::none;
  }
};

}  // namespace coroserve
