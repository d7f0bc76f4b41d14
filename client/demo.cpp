#include "client/demo.hpp"

#include <boost/json/serialize.hpp>
#include <iostream>

#include "client/demo_phases.hpp"
#include "client/demo_report.hpp"
#include "client/demo_server.hpp"
#include "client/errors.hpp"
#include "client/report.hpp"
#include "client/runner.hpp"

namespace corobench {

using namespace std::chrono_literals;

namespace {

// Checks the options and learns what the phases need from the server: its
// number of workers and, unless given, a CPU request of ~20 ms.
DemoSetup prepare(const DemoOptions& o) {
  DemoSetup s;
  s.origin = parse_target(o.url);
  s.phase = std::chrono::duration_cast<Clock::duration>(parse_duration(o.phase, "--phase"));
  // 5 phases of at most 8.5 s (with warmup), plus answers still in flight
  // (bounded by the 5 s timeout): under a minute even at the top.
  if (s.phase < 1s || s.phase > 8s) throw UsageError("--phase must be between 1s and 8s");
  s.warmup = 500ms;
  s.workers = fetch_workers(s.origin);
  s.cpu_n = o.cpu_n ? o.cpu_n : calibrate_cpu_n(s.origin);
  s.io_path = "/io/sleep?ms=" + std::to_string(o.io_ms);
  s.io_connections = o.io_connections;
  s.io_rate = 0.5 * o.io_connections * 1000.0 / o.io_ms;
  return s;
}

}  // namespace

int run_demo(const DemoOptions& o) {
  const DemoSetup s = prepare(o);
  const std::vector<DemoRow> rows = run_demo_phases(s);
  std::cout << format_demo_report(s, rows);
  if (!o.svg_file.empty()) {
    write_text_file(o.svg_file, render_svg(demo_chart(s, rows)), "--svg file");
  }
  if (!o.json_file.empty()) {
    write_text_file(o.json_file, boost::json::serialize(demo_json(s, rows)) + "\n", "--json file");
  }
  return interrupt_requested().load() ? 130 : 0;
}

}  // namespace corobench
