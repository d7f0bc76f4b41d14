#include "client/options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "client/errors.hpp"
#include "client/mix.hpp"
#include "common/version.hpp"

namespace corobench {

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what) {
  auto bad = [&]() -> UsageError {
    return UsageError("invalid " + std::string(what) + " '" + std::string(text) +
                      "': expected a number with a unit, e.g. 10s, 250ms, 2m, 1h");
  };
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc{} || ptr == begin || !std::isfinite(value) || value < 0) throw bad();
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    throw bad();
  }
  const double ns = value * scale;
  if (ns > 1e18) throw bad();
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

CliResult parse_cli(int argc, const char* const* argv) {
  CliResult r;
  LoadOptions& o = r.load;
  DemoOptions& d = r.demo;

  CLI::App app{
      "corobench: an HTTP/1.1 load generator (one io_context per thread, one coroutine per "
      "connection).\nClosed loop by default; -R makes it open loop with latency from each "
      "request's scheduled time.",
      "corobench"};
  app.set_version_flag("--version", std::string("corobench ") + coroserve::kVersion);
  // Not ->required(): `corobench demo URL` has no top-level URL; checked below.
  app.add_option("url", o.url, "Target URL, http://host[:port]/path");
  app.add_option("-c,--connections", o.connections, "Open connections in total")
      ->default_val(10)
      ->check(CLI::Range(1u, 100000u));
  app.add_option("-t,--threads", o.threads, "Threads, each with one event loop [min(2, c)]")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("-d,--duration", o.duration,
                 "How long to send, e.g. 10s, 2m [10s, or unlimited when -n is given]");
  app.add_option("-n,--requests", o.requests, "Total requests to send, then stop")
      ->check(CLI::PositiveNumber);
  app.add_option("-m,--method", o.method, "Request method [GET; POST with a body]");
  app.add_option("-H,--header", o.headers, "Extra header 'Name: value' (repeatable)");
  auto* body = app.add_option("--body", o.body, "Request body");
  auto* body_file = app.add_option("--body-file", o.body_file, "Read the request body from a file");
  body->excludes(body_file);
  app.add_option("--timeout", o.timeout, "Per-request timeout (connect, write, answer)")
      ->default_val("5s");
  app.add_option("--warmup", o.warmup, "Send for this long first without counting")
      ->default_val("0s");
  app.add_flag("--no-keepalive", o.no_keepalive, "A new connection for every request");
  app.add_option("--pipeline", o.pipeline, "Requests in flight per connection")
      ->default_val(1)
      ->check(CLI::Range(1u, 1024u));
  app.add_option("-R,--rate", o.rate,
                 "Open loop: requests/s over all connections (latency from scheduled time)")
      ->check(CLI::PositiveNumber);
  auto* mix =
      app.add_option("--mix", o.mix_file, "Request mix file: lines of 'weight method url [body]'");
  mix->excludes(body)->excludes(body_file);
  app.add_option("--json", o.json_file, "Write the full result as JSON to FILE ('-': stdout)");
  app.add_option("--latency-csv", o.latency_csv_file, "Write the percentile spectrum as CSV");
  app.add_flag("--no-progress", o.no_progress, "No live progress line (also off when not a TTY)");

  CLI::App* demo = app.add_subcommand(
      "demo",
      "Run the concurrency-vs-parallelism experiment against a coroserve and print one table");
  demo->add_option("url", d.url, "Base URL of a coroserve, e.g. http://127.0.0.1:8080")->required();
  demo->add_option("--svg", d.svg_file, "Also write a bar chart of the latencies as SVG");
  demo->add_option("--json", d.json_file, "Also write the table as JSON");
  demo->add_option("--phase", d.phase, "Length of each measured phase (1s..8s)")->default_val("4s");
  demo->add_option("--io-ms", d.io_ms, "Sleep of each I/O request (/io/sleep?ms=)")
      ->default_val(10)
      ->check(CLI::Range(1u, 1000u));
  demo->add_option("--io-connections", d.io_connections, "Concurrent I/O clients")
      ->default_val(20)
      ->check(CLI::Range(1u, 1000u));
  demo->add_option("--cpu-n", d.cpu_n, "n of /cpu/primes [0: calibrate to ~20 ms a request]")
      ->default_val(0);
  demo->add_flag("--no-progress", d.no_progress, "No live progress line");

  try {
    app.parse(argc, argv);
    if (demo->parsed()) {
      r.command = CliResult::Command::demo;
    } else {
      if (o.url.empty()) throw CLI::RequiredError("url");
      r.command = CliResult::Command::load;
    }
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    r.command = CliResult::Command::exit;
    // CLI11 has a code per kind of error; the tool promises 2 for bad usage.
    r.exit_code = code == 0 ? 0 : 2;
  }
  return r;
}

namespace {

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(std::string("cannot read ") + what + " '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

LoadPlan make_plan(const LoadOptions& o) {
  LoadPlan p;
  p.target = parse_target(o.url);
  p.connections = o.connections;
  p.threads = o.threads.value_or(std::min(2u, o.connections));
  if (o.duration) {
    p.duration = parse_duration(*o.duration, "--duration");
  } else if (!o.requests) {
    p.duration = std::chrono::seconds(10);
  }
  p.total_requests = o.requests;
  p.timeout = parse_duration(o.timeout, "--timeout");
  p.warmup = parse_duration(o.warmup, "--warmup");
  p.keepalive = !o.no_keepalive;
  p.pipeline = o.pipeline;
  p.rate = o.rate;
  p.progress = !o.no_progress;
  for (const auto& h : o.headers) validate_header(h);

  if (!o.mix_file.empty()) {
    if (o.method) throw UsageError("--method does not apply with --mix: each line names its own");
    const auto lines = load_mix_file(o.mix_file, p.target);
    for (const MixLine& m : lines) {
      p.requests.push_back(
          make_request(m.method, m.target, o.headers, m.body, p.keepalive, m.weight));
    }
    p.per_line_stats = true;
  } else {
    std::string body;
    if (o.body) body = *o.body;
    if (o.body_file) body = read_file(*o.body_file, "--body-file");
    const bool has_body = o.body || o.body_file;
    const std::string method = o.method.value_or(has_body ? "POST" : "GET");
    if (method.empty()) throw UsageError("--method must not be empty");
    for (char c : method) {
      if (c <= ' ' || c >= 127) throw UsageError("invalid --method '" + method + "'");
    }
    p.requests.push_back(make_request(method, p.target, o.headers, body, p.keepalive));
  }
  p.validate();
  return p;
}

}  // namespace corobench
