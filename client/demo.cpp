#include "client/demo.hpp"
#include <algorithm>

#include <boost/json.hpp>
#include <cstdio>
#include <future>
#include <iostream>

#include "client/errors.hpp"
#include "client/http_get.hpp"
#include "client/report.hpp"
#include "client/runner.hpp"
#include "client/svg_chart.hpp"

namespace corobench {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// A CPU request of about this long makes the loop stall visible against a
// 10 ms timer request, and still fits dozens into a phase.
constexpr double kCpuTargetSeconds = 0.020;

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string cell(double v, const char* f) {
  return v < 0 ? "-" : fmt(f, v);
}

unsigned fetch_workers(const Target& origin) {
  const HttpGetResult r = http_get(origin, "/", 3000ms);
  if (r.status != 200) {
    throw RunError("GET / answered " + std::to_string(r.status) + "; is this a coroserve?");
  }
  boost::system::error_code ec;
  const json::value v = json::parse(r.body, ec);
  const json::value* w = (!ec && v.is_object()) ? v.as_object().if_contains("workers") : nullptr;
  if (!w || !w->is_number()) {
    throw RunError("GET / did not return coroserve's info JSON with a \"workers\" field");
  }
  const auto workers = w->to_number<std::int64_t>();
  if (workers < 1) throw RunError("GET / reports " + std::to_string(workers) + " workers");
  return static_cast<unsigned>(workers);
}

std::string cpu_path(std::uint64_t n, const char* where) {
  return "/cpu/primes?n=" + std::to_string(n) + "&split=1&where=" + where;
}

// Finds an n for which one /cpu/primes request takes ~20 ms on this machine,
// whatever the server's algorithm: time one request, scale n, repeat.
std::uint64_t calibrate_cpu_n(const Target& origin) {
  std::uint64_t n = 1'000'000;
  std::uint64_t good = 0;
  for (int i = 0; i < 6; ++i) {
    const HttpGetResult r = http_get(origin, cpu_path(n, "pool"), 10'000ms);
    if (r.status == 400 && good) break;  // past the server's cap: keep the last good n
    if (r.status != 200) {
      throw RunError("GET " + cpu_path(n, "pool") + " answered " + std::to_string(r.status) + ": " +
                     r.body + " (use --cpu-n to choose n)");
    }
    good = n;
    const double ratio = kCpuTargetSeconds / std::max(r.seconds, 1e-4);
    if (ratio > 0.7 && ratio < 1.4) break;
    n = static_cast<std::uint64_t>(static_cast<double>(n) * std::clamp(ratio, 0.1, 8.0));
    n = std::max<std::uint64_t>(n, 1000);
  }
  return good;
}

LoadPlan plan_for(const Target& origin, const std::string& path, unsigned connections,
                  Clock::duration duration, Clock::duration warmup) {
  LoadPlan p;
  p.target = resolve_against(origin, path);
  p.requests.push_back(make_request("GET", p.target, {}, "", true));
  p.connections = connections;
  p.threads = 1;  // 2 cores: the server needs the rest
  p.duration = duration;
  p.warmup = warmup;
  p.timeout = 5s;
  return p;
}

double ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

void note(const std::string& s) {
  std::cerr << "demo: " << s << std::endl;
}

}  // namespace

std::string format_demo_table(const std::vector<DemoRow>& rows) {
  std::string s;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %-16s %10s %10s %10s %10s %7s\n", "phase", "clients",
                "I/O req/s", "I/O p50", "I/O p99", "CPU req/s", "errors");
  s += line;
  s.append(97, '-');
  s += '\n';
  for (const DemoRow& r : rows) {
    std::snprintf(line, sizeof line, "%-28s %-16s %10s %10s %10s %10s %7llu\n", r.phase.c_str(),
                  r.clients.c_str(), cell(r.io_rps, "%.0f").c_str(),
                  (r.io_p50_ms < 0 ? std::string("-") : fmt("%.2f ms", r.io_p50_ms)).c_str(),
                  (r.io_p99_ms < 0 ? std::string("-") : fmt("%.2f ms", r.io_p99_ms)).c_str(),
                  cell(r.cpu_rps, "%.1f").c_str(), static_cast<unsigned long long>(r.errors));
    s += line;
  }
  return s;
}

int run_demo(const DemoOptions& o) {
  const Target origin = parse_target(o.url);
  const auto phase =
      std::chrono::duration_cast<Clock::duration>(parse_duration(o.phase, "--phase"));
  // 5 phases of at most 8.5 s (with warmup), plus answers still in flight
  // (bounded by the 5 s timeout): under a minute even at the top.
  if (phase < 1s || phase > 8s) throw UsageError("--phase must be between 1s and 8s");
  const auto warmup = 500ms;

  const unsigned workers = fetch_workers(origin);
  const std::uint64_t n = o.cpu_n ? o.cpu_n : calibrate_cpu_n(origin);
  const std::string io_path = "/io/sleep?ms=" + std::to_string(o.io_ms);
  note("server has " + std::to_string(workers) + " workers; CPU request: " + cpu_path(n, "pool"));

  // The I/O clients run open loop at half of what they could do if the
  // server were perfect, so that a stalled loop shows as latency (from the
  // scheduled time) rather than as fewer requests.
  const double io_rate = 0.5 * o.io_connections * 1000.0 / o.io_ms;
  auto io_plan = [&] {
    LoadPlan p = plan_for(origin, io_path, o.io_connections, phase, warmup);
    p.rate = io_rate;
    return p;
  };
  auto io_row = [&](DemoRow& row, const RunResult& r) {
    const auto& t = r.stats.total;
    row.io_rps = t.responses / std::max(r.elapsed_s, 1e-9);
    // No answer within the phase has no latency: shown as "-", never as 0 ms.
    row.io_p50_ms = t.responses ? ms(t.latency.percentile(50)) : -1;
    row.io_p99_ms = t.responses ? ms(t.latency.percentile(99)) : -1;
    row.errors += t.error_total();
  };
  auto cpu_row = [&](DemoRow& row, const RunResult& r) {
    row.cpu_rps = r.stats.total.responses / std::max(r.elapsed_s, 1e-9);
    row.errors += r.stats.total.error_total();
  };
  const std::string io_clients = std::to_string(o.io_connections) + " I/O";
  const std::string cpu_clients = std::to_string(workers) + " CPU";

  std::vector<DemoRow> rows;
  note("1/5 I/O alone: " + io_path + ", " + io_clients + " at " + fmt("%.0f", io_rate) + " req/s");
  {
    DemoRow row{"I/O alone", io_clients};
    io_row(row, run_load(io_plan()));
    rows.push_back(row);
  }
  note("2/5 CPU alone, 1 client");
  double cpu1 = 0;
  {
    DemoRow row{"CPU alone, 1 client", "1 CPU"};
    cpu_row(row, run_load(plan_for(origin, cpu_path(n, "pool"), 1, phase, warmup)));
    cpu1 = row.cpu_rps;
    rows.push_back(row);
  }
  note("3/5 CPU alone, " + cpu_clients + " (one per worker)");
  double cpuw = 0;
  {
    DemoRow row{"CPU alone, " + std::to_string(workers) + " clients", cpu_clients};
    cpu_row(row, run_load(plan_for(origin, cpu_path(n, "pool"), workers, phase, warmup)));
    cpuw = row.cpu_rps;
    rows.push_back(row);
  }
  // I/O measured while CPU requests keep the server busy; the CPU load starts
  // first (the I/O warmup) and ends after the I/O load.
  auto mixed = [&](const char* where, const std::string& label) {
    DemoRow row{label, io_clients + " + " + cpu_clients};
    auto cpu = std::async(std::launch::async, [&] {
      return run_load(plan_for(origin, cpu_path(n, where), workers, phase + warmup, 0ms));
    });
    const RunResult io = run_load(io_plan());
    const RunResult c = cpu.get();
    io_row(row, io);
    cpu_row(row, c);
    return row;
  };
  note("4/5 I/O while CPU runs on the worker pool (where=pool)");
  rows.push_back(mixed("pool", "I/O + CPU on the pool"));
  note("5/5 I/O while CPU runs on the event loop (where=loop)");
  rows.push_back(mixed("loop", "I/O + CPU on the loop"));

  std::cout << "coroserve demo against " << origin.url << ": " << workers
            << " workers, CPU = " << cpu_path(n, "...") << ", I/O = " << io_path << "\n\n"
            << format_demo_table(rows) << "\n";
  const double speedup = cpu1 > 0 ? cpuw / cpu1 : 0;
  std::cout << "Parallel speed-up, " << workers << " clients vs 1: x" << fmt("%.2f", speedup)
            << " (ideal x" << workers << ")\n";
  auto p99 = [](double v) { return v < 0 ? std::string("none answered") : fmt("%.2f ms", v); };
  std::cout << "I/O p99 with CPU on the pool: " << p99(rows[3].io_p99_ms)
            << "; with CPU on the loop: " << p99(rows[4].io_p99_ms);
  if (rows[4].io_p99_ms < 0) {
    std::cout << " (no I/O request finished while the loop computed)";
  } else if (rows[0].io_p99_ms > 0) {
    std::cout << " (" << fmt("%.0f", rows[4].io_p99_ms / rows[0].io_p99_ms)
              << "x the I/O-alone p99)";
  }
  std::cout << ": a loop that computes cannot answer.\n";

  if (!o.svg_file.empty()) {
    BarChart chart;
    chart.title = "I/O request latency (" + io_path + ")";
    chart.y_label = "latency (ms)";
    chart.series = {"p50", "p99"};
    for (std::size_t i : {std::size_t{0}, std::size_t{3}, std::size_t{4}}) {
      chart.groups.push_back(
          {rows[i].phase, {std::max(0.0, rows[i].io_p50_ms), std::max(0.0, rows[i].io_p99_ms)}});
    }
    chart.log_scale = true;
    write_text_file(o.svg_file, render_svg(chart), "--svg file");
  }
  if (!o.json_file.empty()) {
    json::object out;
    out["url"] = origin.url;
    out["workers"] = workers;
    out["cpu_n"] = n;
    out["io_path"] = io_path;
    out["speedup"] = speedup;
    json::array arr;
    for (const DemoRow& r : rows) {
      json::object jr;
      jr["phase"] = r.phase;
      jr["clients"] = r.clients;
      jr["io_requests_per_s"] = r.io_rps < 0 ? json::value(nullptr) : json::value(r.io_rps);
      jr["io_p50_ms"] = r.io_p50_ms < 0 ? json::value(nullptr) : json::value(r.io_p50_ms);
      jr["io_p99_ms"] = r.io_p99_ms < 0 ? json::value(nullptr) : json::value(r.io_p99_ms);
      jr["cpu_requests_per_s"] = r.cpu_rps < 0 ? json::value(nullptr) : json::value(r.cpu_rps);
      jr["errors"] = r.errors;
      arr.push_back(std::move(jr));
    }
    out["rows"] = std::move(arr);
    write_text_file(o.json_file, json::serialize(out) + "\n", "--json file");
  }
  return interrupt_requested().load() ? 130 : 0;
}

}  // namespace corobench
