#pragma once
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/arrival.hpp"
#include "client/progress.hpp"
#include "client/rate_scheduler.hpp"
#include "client/request.hpp"
#include "client/target_url.hpp"
#include "client/tls_plan.hpp"

namespace corobench {

// Everything a run needs, resolved and validated: what `corobench URL` and
// each phase of `corobench demo` hand to run_load().
struct LoadPlan {
  Target target;
  std::vector<RequestTemplate> requests;  // one, or one per mix line
  bool per_line_stats = false;            // report each request line (a mix)

  unsigned connections = 10;
  unsigned threads = 1;
  std::optional<Clock::duration> duration;  // none: until total_requests are done
  std::optional<std::uint64_t> total_requests;
  Clock::duration timeout = std::chrono::seconds(5);
  Clock::duration warmup{};
  bool keepalive = true;
  unsigned pipeline = 1;                         // requests in flight per connection
  std::optional<double> rate;                    // requests/s over all connections: open loop
  Arrival arrival = Arrival::uniform;            // how an open loop spaces its sends
  std::uint64_t seed = 0;                        // of the Poisson schedules
  std::optional<boost::asio::ip::address> bind;  // source address of every connection
  std::optional<double> connect_rate;            // new connections/s over all threads
  TlsPlan tls;                                   // used when target.tls
  std::optional<int> server_pid;                 // a local server whose CPU is read from /proc

  ProgressMode progress = ProgressMode::off;              // on stderr, once a second
  std::chrono::milliseconds connect_check_timeout{2000};  // the fail-fast probe

  bool open_loop() const noexcept { return rate.has_value(); }
  // Throws UsageError when the combination cannot run.
  void validate() const;
};

}  // namespace corobench
