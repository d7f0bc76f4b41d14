#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <vector>

#include "client/conn_state.hpp"
#include "client/connect.hpp"
#include "client/connect_rate.hpp"
#include "client/load_plan.hpp"
#include "client/mix.hpp"
#include "client/stats.hpp"
#include "client/time_series.hpp"

namespace corobench {

// What all threads of a run share; everything in it is atomic or set before
// the threads start.
struct RunControl {
  std::atomic<bool> stop{false};              // Ctrl-C, or a fatal error
  std::atomic<std::int64_t> remaining{0};     // requests left to claim under -n
  bool limited = false;                       // -n given
  Clock::time_point start{};                  // when connections begin (warmup starts)
  Clock::time_point measure_start{};          // end of warmup: from here on, everything counts
  std::optional<Clock::time_point> end;       // -d: no send is due at or after this
  std::optional<ConnectPacer> connect_pacer;  // --connect-rate

  bool past_end(Clock::time_point t) const noexcept { return end && t >= *end; }
  // Takes up to `want` requests from the -n budget; 0 when it is used up.
  std::uint64_t claim(std::uint64_t want) noexcept;
};

// Per thread: its io_context, its share of the connections, its stats.
struct ThreadContext {
  ThreadContext(boost::asio::io_context& ioc, const LoadPlan& plan, RunControl& ctl,
                const ConnectTarget& to, LiveCounters& live);

  boost::asio::io_context& ioc;
  const LoadPlan& plan;
  RunControl& ctl;
  const ConnectTarget& to;
  LiveCounters& live;
  ThreadStats stats;
  TimeSeries series;  // the run second by second, warmup included
  WeightedPicker picker;
  std::vector<ConnState*> conns;  // live connections, for the sweeper
  unsigned active = 0;            // connections still running: set before spawning
};

}  // namespace corobench
