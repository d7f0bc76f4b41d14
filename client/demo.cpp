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

// --cacert and --insecure mean something over https:// only.
TlsPlan demo_tls(const DemoOptions& o, const Target& origin) {
  if ((!o.cacert.empty() || o.insecure) && !origin.tls) {
    throw UsageError("--cacert and --insecure apply to https:// URLs only");
  }
  TlsPlan p;
  p.cacert = o.cacert;
  p.verify = !o.insecure;
  p.resume = false;
  return p;
}

// A second HTTPS coroserve whose storm phase runs beside the first's.
void add_storm_compare(DemoSetup& s, const std::string& url) {
  if (url.empty()) return;
  const Target t = parse_target(url);
  if (!s.origin.tls || !t.tls) throw UsageError("--storm-compare needs two https:// URLs");
  s.compare_on = fetch_info(t, s.tls).tls_handshake_on;
  s.compare = t;
}

// Checks the options and learns what the phases need from the server: its
// number of workers, where it runs handshakes and, unless given, a CPU
// request of ~20 ms.
DemoSetup prepare(const DemoOptions& o) {
  DemoSetup s;
  s.origin = parse_target(o.url);
  s.phase = std::chrono::duration_cast<Clock::duration>(parse_duration(o.phase, "--phase"));
  // 7 phases of at most 8.5 s (with warmup), plus answers still in flight
  // (bounded by the 5 s timeout): about a minute even at the top.
  if (s.phase < 1s || s.phase > 8s) throw UsageError("--phase must be between 1s and 8s");
  s.warmup = 500ms;
  s.tls = demo_tls(o, s.origin);
  const ServerInfo info = fetch_info(s.origin, s.tls);
  s.workers = info.workers;
  s.handshake_on = info.tls_handshake_on;
  add_storm_compare(s, o.storm_compare);
  s.cpu_n = o.cpu_n ? o.cpu_n : calibrate_cpu_n(s.origin, s.tls);
  s.io_path = "/io/sleep?ms=" + std::to_string(o.io_ms);
  s.io_connections = o.io_connections;
  s.io_rate = 0.5 * o.io_connections * 1000.0 / o.io_ms;
  // A burst of new clients: with handshakes on the loop, an I/O answer waits
  // behind every handshake step that became ready before it.
  s.storm_connections = 8 * s.workers;
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
  return interrupt_requested().load() ? interrupted_exit_status() : 0;
}

}  // namespace corobench
