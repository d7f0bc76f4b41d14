#pragma once
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "client/load_plan.hpp"
#include "client/mix.hpp"
#include "client/stats.hpp"

namespace corobench {

// What all threads of a run share; everything in it is atomic or set before
// the threads start.
struct RunControl {
  std::atomic<bool> stop{false};           // Ctrl-C, or a fatal error
  std::atomic<std::int64_t> remaining{0};  // requests left to claim under -n
  bool limited = false;                    // -n given
  Clock::time_point start{};               // when connections begin (warmup starts)
  Clock::time_point measure_start{};       // end of warmup: from here on, everything counts
  std::optional<Clock::time_point> end;    // -d: no send is due at or after this

  bool past_end(Clock::time_point t) const noexcept { return end && t >= *end; }
  // Takes up to `want` requests from the -n budget; 0 when it is used up.
  std::uint64_t claim(std::uint64_t want) noexcept;
};

// One connection's socket and its request deadline. The thread's timeout
// sweeper cancels the socket once the deadline passes: one steady_timer per
// thread instead of a timer arm and cancel per request.
struct ConnState {
  explicit ConnState(boost::asio::io_context& ioc) : sock(ioc) {}
  boost::asio::ip::tcp::socket sock;
  Clock::time_point deadline = Clock::time_point::max();
  bool timed_out = false;
};

// Per thread: its io_context, its share of the connections, its stats.
struct ThreadContext {
  ThreadContext(boost::asio::io_context& ioc, const LoadPlan& plan, RunControl& ctl,
                const std::vector<boost::asio::ip::tcp::endpoint>& endpoints, LiveCounters& live);

  boost::asio::io_context& ioc;
  const LoadPlan& plan;
  RunControl& ctl;
  const std::vector<boost::asio::ip::tcp::endpoint>& endpoints;
  LiveCounters& live;
  ThreadStats stats;
  WeightedPicker picker;
  std::vector<ConnState*> conns;  // live connections, for the sweeper
  unsigned active = 0;            // connections still running: set before spawning
};

// One connection's whole life: connect, send (paced in an open loop), read
// each answer with a fresh Beast parser, record, repeat until the run ends;
// reconnects after errors and, with --no-keepalive, after every request.
// `index` is the connection's number among all of the run's connections.
boost::asio::awaitable<void> run_connection(ThreadContext& ctx, unsigned index);

// Cancels the socket of every connection whose deadline has passed; ends
// when the thread's last connection has.
boost::asio::awaitable<void> run_timeout_sweeper(ThreadContext& ctx);

}  // namespace corobench
