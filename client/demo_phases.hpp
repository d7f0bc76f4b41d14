#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/demo_table.hpp"
#include "client/rate_scheduler.hpp"
#include "client/target_url.hpp"
#include "client/tls_plan.hpp"

namespace corobench {

// What every phase of the demo shares: the server, its two kinds of request
// and how long each phase lasts.
struct DemoSetup {
  Target origin;
  Clock::duration phase{};   // measured
  Clock::duration warmup{};  // before each phase, not counted
  unsigned workers = 1;      // the server's pool: one CPU client per worker
  std::uint64_t cpu_n = 0;   // n of /cpu/primes
  std::string io_path;       // /io/sleep?ms=...
  unsigned io_connections = 0;
  // The I/O clients run open loop at half of what they could do if the
  // server were perfect, so that a stalled loop shows as latency (from the
  // scheduled time) rather than as fewer requests.
  double io_rate = 0;

  // https:// only. Every handshake of the demo is a full one (no resumption):
  // a storm of resumed handshakes would cost the server little.
  TlsPlan tls;
  std::string handshake_on;        // where the server runs handshakes: pool or loop
  std::optional<Target> compare;   // --storm-compare: a second server, the other mode
  std::string compare_on;          // where that one runs them
  unsigned storm_connections = 0;  // each sends one request per new connection
};

// The five phases, a row each: I/O alone, CPU alone with one client, CPU
// alone with one client per worker, then I/O while CPU runs on the pool and
// while it runs on the event loop. Over https://, then I/O while new
// connections keep coming (a handshake storm), on the server and on the
// --storm-compare one. Notes the setup and each phase on stderr as it starts.
std::vector<DemoRow> run_demo_phases(const DemoSetup& s);

}  // namespace corobench
