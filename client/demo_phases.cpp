#include "client/demo_phases.hpp"

#include <algorithm>
#include <future>
#include <iostream>

#include "client/demo_server.hpp"
#include "client/report.hpp"
#include "client/runner.hpp"

namespace corobench {

using namespace std::chrono_literals;

namespace {

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

void note(const std::string& s) {
  std::cerr << "demo: " << s << std::endl;
}

LoadPlan plan_for(const DemoSetup& s, const Target& origin, const std::string& path,
                  unsigned connections, Clock::duration duration, Clock::duration warmup,
                  bool keepalive = true) {
  LoadPlan p;
  p.target = resolve_against(origin, path);
  p.keepalive = keepalive;
  p.requests.push_back(make_request("GET", p.target, {}, "", keepalive));
  p.connections = connections;
  p.threads = 1;  // 2 cores: the server needs the rest
  p.duration = duration;
  p.warmup = warmup;
  p.timeout = 5s;
  p.tls = s.tls;
  return p;
}

LoadPlan io_plan(const DemoSetup& s, const Target& origin) {
  LoadPlan p = plan_for(s, origin, s.io_path, s.io_connections, s.phase, s.warmup);
  p.rate = s.io_rate;
  return p;
}

LoadPlan cpu_plan(const DemoSetup& s, const char* where, unsigned clients) {
  return plan_for(s, s.origin, cpu_path(s.cpu_n, where), clients, s.phase, s.warmup);
}

void add_io(DemoRow& row, const RunResult& r) {
  const auto& t = r.stats.total;
  row.io_rps = t.responses / std::max(r.elapsed_s, 1e-9);
  // No answer within the phase has no latency: shown as "-", never as 0 ms.
  row.io_p50_ms = t.responses ? ms(t.latency.percentile(50)) : -1;
  row.io_p99_ms = t.responses ? ms(t.latency.percentile(99)) : -1;
  row.errors += t.error_total();
}

void add_cpu(DemoRow& row, const RunResult& r) {
  row.cpu_rps = r.stats.total.responses / std::max(r.elapsed_s, 1e-9);
  row.errors += r.stats.total.error_total();
}

std::string io_clients(const DemoSetup& s) {
  return std::to_string(s.io_connections) + " I/O";
}

std::string cpu_clients(const DemoSetup& s) {
  return std::to_string(s.workers) + " CPU";
}

// I/O measured while CPU requests keep the server busy; the CPU load starts
// first (the I/O warmup) and ends after the I/O load.
DemoRow io_beside_cpu(const DemoSetup& s, const char* where, const std::string& label) {
  DemoRow row{label, io_clients(s) + " + " + cpu_clients(s)};
  auto cpu = std::async(std::launch::async, [&] {
    return run_load(
        plan_for(s, s.origin, cpu_path(s.cpu_n, where), s.workers, s.phase + s.warmup, 0ms));
  });
  const RunResult io = run_load(io_plan(s, s.origin));
  const RunResult c = cpu.get();
  add_io(row, io);
  add_cpu(row, c);
  return row;
}

// I/O measured on kept-alive connections while other clients open a new
// connection for every request, each with a full handshake; the storm starts
// first (the I/O warmup) and ends after the I/O load.
DemoRow io_beside_storm(const DemoSetup& s, const Target& origin, const std::string& on) {
  DemoRow row{"I/O + handshakes on " + on,
              io_clients(s) + " + " + std::to_string(s.storm_connections) + " TLS"};
  auto storm = std::async(std::launch::async, [&] {
    return run_load(
        plan_for(s, origin, "/plaintext", s.storm_connections, s.phase + s.warmup, 0ms, false));
  });
  const RunResult io = run_load(io_plan(s, origin));
  const RunResult st = storm.get();
  add_io(row, io);
  row.tls_rps = st.stats.total.responses / std::max(st.elapsed_s, 1e-9);
  row.errors += st.stats.total.error_total();
  return row;
}

}  // namespace

std::vector<DemoRow> run_demo_phases(const DemoSetup& s) {
  std::vector<DemoRow> rows;
  const int total = 5 + (s.origin.tls ? 1 : 0) + (s.compare ? 1 : 0);
  int done = 0;
  auto step = [&](const std::string& what) {
    note(std::to_string(++done) + "/" + std::to_string(total) + " " + what);
  };
  note("server has " + std::to_string(s.workers) +
       " workers; CPU request: " + cpu_path(s.cpu_n, "pool"));
  step("I/O alone: " + s.io_path + ", " + io_clients(s) + " at " +
       format_number("%.0f", s.io_rate) + " req/s");
  rows.push_back({"I/O alone", io_clients(s)});
  add_io(rows.back(), run_load(io_plan(s, s.origin)));

  step("CPU alone, 1 client");
  rows.push_back({"CPU alone, 1 client", "1 CPU"});
  add_cpu(rows.back(), run_load(cpu_plan(s, "pool", 1)));

  step("CPU alone, " + cpu_clients(s) + " (one per worker)");
  rows.push_back({"CPU alone, " + std::to_string(s.workers) + " clients", cpu_clients(s)});
  add_cpu(rows.back(), run_load(cpu_plan(s, "pool", s.workers)));

  step("I/O while CPU runs on the worker pool (where=pool)");
  rows.push_back(io_beside_cpu(s, "pool", "I/O + CPU on the pool"));
  step("I/O while CPU runs on the event loop (where=loop)");
  rows.push_back(io_beside_cpu(s, "loop", "I/O + CPU on the loop"));
  if (s.origin.tls) {
    step("I/O while new connections handshake on the " + s.handshake_on + " (" + s.origin.url +
         ")");
    rows.push_back(io_beside_storm(s, s.origin, "the " + s.handshake_on));
  }
  if (s.compare) {
    step("I/O while new connections handshake on the " + s.compare_on + " (" + s.compare->url +
         ")");
    rows.push_back(io_beside_storm(s, *s.compare, "the " + s.compare_on));
  }
  return rows;
}

}  // namespace corobench
