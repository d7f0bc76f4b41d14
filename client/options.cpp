#include "client/options.hpp"

#include <CLI/CLI.hpp>
#include <charconv>
#include <memory>

#include "common/cli_reference.hpp"
#include "common/version.hpp"

namespace corobench {

namespace {

// A number above zero. CLI11's own PositiveNumber calls 0 and "abc" out of
// the range "0.000000 to" a 309-digit number.
const CLI::Validator kPositive(
    [](std::string& text) -> std::string {
      double v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || end != text.data() + text.size()) {
        return "'" + text + "' is not a number";
      }
      return v > 0 ? std::string() : "must be greater than 0, not " + text;
    },
    "POSITIVE");

// Every option with a default in LoadOptions or DemoOptions shows that
// default in --help and in the options tables: capture_default_str() reads
// it from the bound field, so no default is written twice.

// Where connections come from, and the flags of https:// runs (make_plan()
// refuses those with http://).
void add_connection_options(CLI::App& app, LoadOptions& o) {
  app.add_option("--connect-rate", o.connect_rate,
                 "Open at most N new connections per second over all threads: ramps the -c "
                 "connections up at N/s, or with --no-keepalive paces every connection")
      ->check(kPositive);
  app.add_option("--bind", o.bind,
                 "Local source address of every connection (e.g. 127.0.0.2): two runs from two "
                 "addresses are two clients to a server that tells clients apart by address");
  auto* cacert = app.add_option("--cacert", o.cacert,
                                "https: trust the CA certificates in this PEM file instead of the "
                                "system's store (the server's name or IP is still checked)");
  app.add_flag("--insecure", o.insecure,
               "https: accept any certificate, unchecked (for a self-signed test server)")
      ->excludes(cacert);
  app.add_option("--tls-resume", o.tls_resume,
                 "https: on, each new connection offers the session of the connection's last one "
                 "(an abbreviated handshake); off, every handshake is a full one [on]")
      ->check(CLI::IsMember({"on", "off"}));
}

void add_report_options(CLI::App& app, LoadOptions& o);

// Two targets side by side in time, for telling a small difference on a
// machine whose speed drifts.
void add_versus_options(CLI::App& app, LoadOptions& o) {
  auto* versus = app.add_option(
      "--versus", o.versus,
      "A second target, B: the run alternates rounds of url (A) and B (A B, B A, ...) and prints "
      "B / A with a paired interval that a drifting machine does not widen; -d is the measured "
      "time of each target; --json writes the rounds and intervals");
  app.add_option("--versus-pid", o.versus_pid,
                 "With --versus: pid of B's server, as --server-pid is A's")
      ->check(kPositive)
      ->needs(versus);
  app.add_option("--round", o.round,
                 "With --versus: length of each round (at least 500ms); --warmup runs before "
                 "every round")
      ->capture_default_str()
      ->needs(versus);
}

void add_load_options(CLI::App& app, LoadOptions& o) {
  // Not ->required(): `corobench demo URL` has no top-level URL; checked below.
  app.add_option("url", o.url,
                 "Target, http[s]://[user:password@]host[:port]/path?query; without a scheme, "
                 "http:// is assumed; user and password go as Basic authorization");
  app.add_option("-c,--connections", o.connections,
                 "Open connections in total, spread evenly over the threads")
      ->capture_default_str()
      ->check(CLI::Range(1u, 100000u));
  app.add_option("-t,--threads", o.threads,
                 "Threads, each running one event loop; at most -c [min(2, c)]")
      ->check(CLI::Range(1u, 1024u));
  app.add_option("-d,--duration", o.duration,
                 "How long to send: 500ms, 10s, 2m, 1h; a bare number is seconds [10s, or "
                 "unlimited with -n]");
  app.add_option(
         "-n,--requests", o.requests,
         "Send exactly N requests over all connections, then stop; with -d, whichever comes first")
      ->check(kPositive);
  app.add_option("-m,--method", o.method, "Request method [GET; POST with a body]");
  app.add_option("-H,--header", o.headers,
                 "Extra header 'Name: value', repeatable; replaces a default one of the same name "
                 "(Host, User-Agent, Authorization from the URL); Connection, Content-Length and "
                 "Transfer-Encoding are refused (see --no-keepalive, --body)")
      // One value a flag, as in wrk and curl: `-H 'A: b' URL` keeps its URL.
      ->allow_extra_args(false);
  auto* body = app.add_option("--body", o.body, "Request body (Content-Length is set)");
  auto* body_file = app.add_option("--body-file", o.body_file, "Read the request body from a file");
  body->excludes(body_file);
  app.add_option("--timeout", o.timeout,
                 "Per request: connect, write and the whole answer; past it a timeout error "
                 "(enforced to within 1/8 of it)")
      ->capture_default_str();
  app.add_option("--warmup", o.warmup, "Send for this long first; nothing sent then is counted")
      ->capture_default_str();
  app.add_flag("--no-keepalive", o.no_keepalive,
               "Connection: close and a new connection for every request (the connect, and over "
               "https the handshake, are part of the latency)");
  app.add_option("--pipeline", o.pipeline,
                 "K requests written together per connection before reading the K answers")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1024u));
  app.add_option("-R,--rate", o.rate,
                 "Open loop: R requests/s over all connections, latency from each scheduled send "
                 "time")
      ->check(kPositive);
  app.add_option("--arrival", o.arrival,
                 "Open loop: how sends are spaced: uniform (evenly, like wrk2) or poisson "
                 "(exponential gaps of mean 1/R, as of independent users) [uniform]")
      ->check(CLI::IsMember({"uniform", "poisson"}));
  add_connection_options(app, o);
  add_versus_options(app, o);
  auto* mix = app.add_option(
      "--mix", o.mix_file,
      "Request mix file, lines of 'weight method url [body]'; reported per line and in total");
  mix->excludes(body)->excludes(body_file);
  add_report_options(app, o);
}

// What is measured beside the load, and where the results go.
void add_report_options(CLI::App& app, LoadOptions& o) {
  app.add_option("--server-pid", o.server_pid,
                 "Pid of a server on this machine: its CPU is read from /proc over the run and "
                 "second by second, weighed in the verdict on what limited the run, and "
                 "compared per answer by corobench compare")
      ->check(kPositive);
  app.add_option(
      "--json", o.json_file,
      "Write the full result as JSON to FILE ('-': stdout): latency by outcome, goodput, "
      "the schema version");
  app.add_option(
      "--latency-csv", o.latency_csv_file,
      "Write the percentile spectrum of 2xx answers as CSV: value_us,percentile,total_count,"
      "one_over_one_minus_percentile");
  app.add_option("--fail-on", o.fail_on,
                 "After the run, exit 3 if a threshold is crossed, e.g. 'p99>50ms,errors>0.1%': "
                 "p50, p90, p99, p999, max (us, ms, s; 2xx answers), errors, non2xx, late, "
                 "dropped (a count or a %), rps<N, goodput<N; repeatable")
      // One value a flag: the URL after it must not be taken for a threshold.
      ->allow_extra_args(false);
  app.add_option("--timeline", o.timeline_file,
                 "Write a chart of requests/s and 2xx p50/p99 latency, second by second, as SVG "
                 "(warmup shaded)");
  auto* progress =
      app.add_option("--progress", o.progress,
                     "Progress on stderr once a second: line (redrawn in place), lines (one a "
                     "second, for logs), off; auto is line on a terminal, off otherwise")
          ->capture_default_str()
          ->check(CLI::IsMember({"auto", "line", "lines", "off"}));
  app.add_flag("--no-progress", o.no_progress, "The same as --progress off")->excludes(progress);
}

void add_demo_options(CLI::App& demo, DemoOptions& d) {
  demo.add_option("url", d.url, "Base URL of a coroserve, e.g. http://127.0.0.1:8080")->required();
  demo.add_option("--svg", d.svg_file, "Also write a bar chart of the latencies as SVG");
  demo.add_option("--json", d.json_file, "Also write the table as JSON");
  demo.add_option("--phase", d.phase, "Length of each measured phase (1s..8s)")
      ->capture_default_str();
  demo.add_option("--io-ms", d.io_ms, "Sleep of each I/O request (/io/sleep?ms=)")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  demo.add_option("--io-connections", d.io_connections, "Concurrent I/O clients")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u));
  demo.add_option("--cpu-n", d.cpu_n, "n of /cpu/primes [0: calibrate to ~20 ms a request]")
      ->capture_default_str();
  demo.add_flag("--no-progress", d.no_progress, "No live progress line");
  auto* cacert = demo.add_option("--cacert", d.cacert,
                                 "https: trust the CA certificates in this PEM file instead of the "
                                 "system's store");
  demo.add_flag("--insecure", d.insecure, "https: accept any certificate, unchecked")
      ->excludes(cacert);
  demo.add_option("--storm-compare", d.storm_compare,
                  "https: a second coroserve, started with the other --tls-handshake-on; the "
                  "handshake storm phase runs against it too, beside the first");
}

constexpr const char* kDemo = "demo";
constexpr const char* kCompare = "compare";

void add_compare_options(CLI::App& compare, std::vector<std::string>& files) {
  compare.add_option("files", files, "Two or more --json results; the first is the baseline")
      ->required();
  compare.footer(
      "Each figure of each run is printed with its ratio to the first run's. For requests/s, "
      "goodput, the 2xx p50 and p99, and the CPU per answer of the server (runs made with "
      "--server-pid) and of corobench, the runs' per-second values (measured whole seconds) "
      "decide whether a difference is larger than the noise. When corobench is what limits a "
      "run, requests/s shows corobench's pace and the server's CPU per answer shows the "
      "server's cost. Seconds are autocorrelated, so n of "
      "them hold far fewer independent values: each run is cut into round(n^0.4) batches of "
      "consecutive seconds (4 of 7 or 8 s in a 30 s run), the spread of the batch means gives "
      "the variance of the run's mean, and the 95% interval of the ratio of the means is "
      "log(ratio) +- t * se, with Student's t at Welch-Satterthwaite degrees of freedom because "
      "the batches are few. A difference is called only when that interval excludes 1; on "
      "simulated 30 s runs of one process about 6% of pairs are, and a 10% change is found in "
      "about 9 pairs of 10. Runs one after the other also compare two moments of the machine: "
      "where its speed drifts, load both targets in one run with --versus (alternating rounds, "
      "a paired interval). Exit 2 when a file is not a corobench --json result with a time "
      "series (schema 3).");
}

// corobench's command line, bound to `o` and `d`: the load options at the
// top, the demo's under its subcommand. The one definition of every option:
// parse_cli() parses with it and the options tables are read from it.
std::unique_ptr<CLI::App> make_app(LoadOptions& o, DemoOptions& d,
                                   std::vector<std::string>& files) {
  auto app = std::make_unique<CLI::App>(
      "corobench: an HTTP/1.1 load generator (one io_context per thread, one coroutine per "
      "connection).\nClosed loop by default; -R makes it open loop with latency from each "
      "request's scheduled time.",
      "corobench");
  app->set_version_flag("--version", std::string("corobench ") + coroserve::kVersion);
  add_load_options(*app, o);
  add_demo_options(*app->add_subcommand(kDemo,
                                        "Run the concurrency-vs-parallelism experiment against "
                                        "a coroserve and print one table"),
                   d);
  add_compare_options(*app->add_subcommand(kCompare,
                                           "Compare --json results: figures side by side, "
                                           "ratios, and whether each difference is beyond the "
                                           "noise"),
                      files);
  return app;
}

}  // namespace

CliResult parse_cli(int argc, const char* const* argv) {
  CliResult r;
  const auto app = make_app(r.load, r.demo, r.compare_files);
  try {
    app->parse(argc, argv);
    if (app->get_subcommand(kDemo)->parsed()) {
      r.command = CliResult::Command::demo;
    } else if (app->get_subcommand(kCompare)->parsed()) {
      r.command = CliResult::Command::compare;
    } else {
      if (r.load.url.empty()) throw CLI::RequiredError("url");
      r.command = CliResult::Command::load;
    }
  } catch (const CLI::ParseError& e) {
    const int code = app->exit(e);
    r.command = CliResult::Command::exit;
    // CLI11 has a code per kind of error; the tool promises 2 for bad usage.
    r.exit_code = code == 0 ? 0 : 2;
  }
  return r;
}

std::string options_markdown() {
  LoadOptions o;
  DemoOptions d;
  std::vector<std::string> files;
  return coroserve::options_markdown(*make_app(o, d, files));
}

std::string demo_options_markdown() {
  LoadOptions o;
  DemoOptions d;
  std::vector<std::string> files;
  return coroserve::options_markdown(*make_app(o, d, files)->get_subcommand(kDemo));
}

}  // namespace corobench
