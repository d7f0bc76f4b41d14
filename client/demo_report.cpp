#include "client/demo_report.hpp"

#include <algorithm>

#include "client/demo_server.hpp"
#include "client/report.hpp"

namespace corobench {

namespace json = boost::json;

namespace {

// The phases, by their place in the table.
enum Phase : std::size_t { io_alone, cpu_one, cpu_all, io_cpu_pool, io_cpu_loop };

// CPU requests/s with one client per worker over those with one client.
double speedup(const std::vector<DemoRow>& rows) {
  const double one = rows[cpu_one].cpu_rps;
  return one > 0 ? rows[cpu_all].cpu_rps / one : 0;
}

std::string p99_text(double v) {
  return v < 0 ? std::string("none answered") : format_number("%.2f ms", v);
}

// How much worse the I/O p99 gets when the loop computes.
std::string loop_verdict(const std::vector<DemoRow>& rows) {
  const double loop = rows[io_cpu_loop].io_p99_ms;
  const double alone = rows[io_alone].io_p99_ms;
  if (loop < 0) return " (no I/O request finished while the loop computed)";
  if (alone > 0) return " (" + format_number("%.0f", loop / alone) + "x the I/O-alone p99)";
  return "";
}

// The handshake storm phases, when the demo ran over https://.
std::string storm_lines(const std::vector<DemoRow>& rows) {
  std::string s;
  for (std::size_t i = io_cpu_loop + 1; i < rows.size(); ++i) {
    s += rows[i].phase + ": I/O p99 " + p99_text(rows[i].io_p99_ms) + " while " +
         format_number("%.0f", rows[i].tls_rps) + " new connections/s handshake\n";
  }
  return s;
}

json::value or_null(double v) {
  return v < 0 ? json::value(nullptr) : json::value(v);
}

}  // namespace

std::string format_demo_report(const DemoSetup& s, const std::vector<DemoRow>& rows) {
  const std::string workers = std::to_string(s.workers);
  return "coroserve demo against " + s.origin.url + ": " + workers +
         " workers, CPU = " + cpu_path(s.cpu_n, "...") + ", I/O = " + s.io_path + "\n\n" +
         format_demo_table(rows) + "\n" + "Parallel speed-up, " + workers + " clients vs 1: x" +
         format_number("%.2f", speedup(rows)) + " (ideal x" + workers + ")\n" +
         "I/O p99 with CPU on the pool: " + p99_text(rows[io_cpu_pool].io_p99_ms) +
         "; with CPU on the loop: " + p99_text(rows[io_cpu_loop].io_p99_ms) + loop_verdict(rows) +
         ": a loop that computes cannot answer.\n" + storm_lines(rows);
}

BarChart demo_chart(const DemoSetup& s, const std::vector<DemoRow>& rows) {
  BarChart chart;
  chart.title = "I/O request latency (" + s.io_path + ")";
  chart.y_label = "latency (ms)";
  chart.series = {"p50", "p99"};
  std::vector<std::size_t> shown{io_alone, io_cpu_pool, io_cpu_loop};
  for (std::size_t i = io_cpu_loop + 1; i < rows.size(); ++i) shown.push_back(i);
  for (std::size_t i : shown) {
    chart.groups.push_back(
        {rows[i].phase, {std::max(0.0, rows[i].io_p50_ms), std::max(0.0, rows[i].io_p99_ms)}});
  }
  chart.log_scale = true;
  return chart;
}

json::object demo_json(const DemoSetup& s, const std::vector<DemoRow>& rows) {
  json::object out;
  out["url"] = s.origin.url;
  out["workers"] = s.workers;
  out["cpu_n"] = s.cpu_n;
  out["io_path"] = s.io_path;
  out["tls_handshake_on"] = s.origin.tls ? json::value(s.handshake_on) : json::value(nullptr);
  out["speedup"] = speedup(rows);
  json::array arr;
  for (const DemoRow& r : rows) {
    json::object jr;
    jr["phase"] = r.phase;
    jr["clients"] = r.clients;
    jr["io_requests_per_s"] = or_null(r.io_rps);
    jr["io_p50_ms"] = or_null(r.io_p50_ms);
    jr["io_p99_ms"] = or_null(r.io_p99_ms);
    jr["cpu_requests_per_s"] = or_null(r.cpu_rps);
    jr["tls_handshakes_per_s"] = or_null(r.tls_rps);
    jr["errors"] = r.errors;
    arr.push_back(std::move(jr));
  }
  out["rows"] = std::move(arr);
  return out;
}

}  // namespace corobench
