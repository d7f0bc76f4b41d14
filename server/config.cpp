#include "server/config.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <thread>

#include "common/cli_reference.hpp"
#include "common/version.hpp"
#include "server/client_key.hpp"

namespace coroserve {

unsigned Config::effective_workers() const {
  if (workers != 0) return workers;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

namespace {

constexpr std::string_view kEnvPrefix = "COROSERVE_";

// Every option also reads COROSERVE_ + its flag in upper snake case.
template <class T>
CLI::Option* option(CLI::App& app, const std::string& flag, T& target, const std::string& help) {
  return app.add_option(flag, target, help)->envname(env_name(kEnvPrefix, flag));
}

// CLI11 has no chrono support in 2.1, so durations are flags in milliseconds.
void option_ms(CLI::App& app, const std::string& flag, std::chrono::milliseconds& target,
               const std::string& help, long long min = 1, long long max = 24LL * 3600 * 1000) {
  app.add_option_function<long long>(
         flag, [&target](long long v) { target = std::chrono::milliseconds(v); }, help)
      ->envname(env_name(kEnvPrefix, flag))
      ->check(CLI::Range(min, max))
      ->default_str(std::to_string(target.count()));
}

template <class T>
CLI::Range range(T min, T max) {
  return CLI::Range(min, max);
}

void listener_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Listener");
  option(app, "--host", c.host, "Address to listen on (0.0.0.0 in a container)");
  option(app, "--port", c.port, "TCP port; 0 picks a free one");
  option(app, "--port-file", c.port_file,
         "Write the bound port here once listening (for scripts and tests)");
  app.add_flag("--reuse-port,!--no-reuse-port", c.reuse_port,
               "Let several coroserve processes listen on --port (SO_REUSEPORT): the kernel "
               "spreads new connections across them, and each keeps its own loop, workers, limits "
               "and TLS session tickets; /metrics then labels every series with pid")
      ->envname(env_name(kEnvPrefix, "--reuse-port"))
      ->default_str(c.reuse_port ? "true" : "false");
}

void worker_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Workers");
  option(app, "--workers", c.workers, "Worker threads for CPU work; 0 = one per core")
      ->check(range(0u, 256u));
  option(app, "--worker-sched", c.worker_sched,
         "Scheduling policy of the worker threads: other (normal, with --worker-nice), batch "
         "(SCHED_BATCH, with --worker-nice) or idle (SCHED_IDLE: runs only when nothing else "
         "wants the core; takes no nice value)")
      ->check(CLI::IsMember({"other", "batch", "idle"}));
  option(app, "--worker-nice", c.worker_nice,
         "Nice value of the worker threads under other and batch, so that the loop thread wins "
         "the CPU and I/O latency holds while workers are saturated")
      ->check(range(0, 19));
  option(app, "--cpu-on-loop", c.cpu_on_loop,
         "Permit ?where=loop, which runs CPU work on the event loop; false answers it with 403")
      ->default_str(c.cpu_on_loop ? "true" : "false");
}

const CLI::Validator kClientKey(
    [](std::string& v) {
      return parse_client_key_rule(v) ? std::string() : "ip, connection or header:NAME";
    },
    "ip|connection|header:NAME");

void admission_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Admission");
  option(app, "--queue", c.queue,
         "CPU parts waiting for a worker, the hard bound; past it 503 with Retry-After, at once "
         "(400 for a split larger than all of it)")
      ->check(range<std::size_t>(1, 1 << 20));
  option_ms(app, "--queue-target-ms", c.queue_target,
            "Target wait of CPU work in the queue: once the queue has stood above it for "
            "--queue-interval-ms, work that would wait longer gets 503 with Retry-After at once");
  option_ms(app, "--queue-interval-ms", c.queue_interval,
            "How long the queue may stand above --queue-target-ms before new work is refused, "
            "and how long without refusals ends the shedding");
  option(app, "--max-queued-per-client", c.max_queued_per_client,
         "CPU parts one client may have waiting; past it 429 with Retry-After (400 for a split "
         "larger than all of it)")
      ->check(range<std::size_t>(1, 1 << 20));
  option(app, "--max-tracked-clients", c.max_tracked_clients,
         "Clients with CPU work waiting that get their own turn in the queue; past it new "
         "clients share one turn")
      ->check(range<std::size_t>(1, 1 << 20));
  option_ms(app, "--refusal-pause-ms", c.refusal_pause,
            "After a request is refused for overload (503 or 429), how long its connection waits "
            "before the next request on it is read, so that a client retrying at once cannot "
            "turn refusals into a flood that takes the CPU admitted work needs (0: no pause). "
            "A paused connection notices a close or a drain only when the pause ends",
            0, 60 * 1000);
  option(app, "--client-key", c.client_key,
         "What one client is, for turns and the per-client cap: ip (the peer address), "
         "connection, or header:NAME (a header set by a trusted proxy; the peer address when "
         "absent)")
      ->check(kClientKey);
}

void limit_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Limits");
  option(app, "--max-connections", c.max_connections,
         "Open connections; a new one past it gets 503 and is closed")
      ->check(range<std::size_t>(1, 1 << 20));
  option(app, "--max-header-bytes", c.max_header_bytes,
         "Header fields, not counting the request line (that is --max-url-bytes); past it 431")
      ->check(range<std::size_t>(256, 1 << 20));
  option(app, "--max-url-bytes", c.max_url_bytes, "Request target; past it 414")
      ->check(range<std::size_t>(16, 1 << 20));
  option(app, "--max-body-bytes", c.max_body_bytes,
         "Request body; past it 413 (a declared length is refused before the body is read)")
      ->check(range<std::size_t>(0, 1 << 30));
  option(app, "--max-image-bytes", c.max_image_bytes,
         "Memory of Mandelbrot renders in flight, counted at 9 bytes a pixel; past it 503 with "
         "Retry-After (400 for a render larger than all of it)")
      ->check(range<std::size_t>(std::size_t{1} << 20, std::size_t{1} << 36));
}

void timeout_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Timeouts");
  option_ms(app, "--header-timeout-ms", c.header_timeout,
            "First byte of a request to the end of its header; past it 408 and close");
  option_ms(app, "--body-timeout-ms", c.body_timeout,
            "End of the header to the end of the body; past it 408 and close");
  option_ms(app, "--idle-timeout-ms", c.idle_timeout,
            "Keep-alive wait for the next request; past it the connection closes quietly");
  option_ms(app, "--idle-park-ms", c.idle_park,
            "Keep-alive wait after which the connection parks: its session ends and gives back "
            "the read buffer and coroutine frames, and the next request's first byte starts a "
            "new one (0: never)",
            0);
  option_ms(app, "--write-timeout-ms", c.write_timeout,
            "Sending one response to a slow reader; past it the connection closes");
  option_ms(app, "--drain-timeout-ms", c.drain_timeout,
            "On SIGTERM/SIGINT, time in-flight requests get to finish");
}

void tls_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("TLS");
  option(app, "--tls-cert", c.tls_cert,
         "Certificate chain, PEM (the server's certificate first, then intermediates); with "
         "--tls-key, --port speaks HTTPS (TLS 1.2 and 1.3, ALPN http/1.1) and SIGHUP reloads both");
  option(app, "--tls-key", c.tls_key, "Private key of --tls-cert, PEM, RSA or ECDSA");
  option(app, "--tls-handshake-on", c.tls_handshake_on,
         "Where the handshakes' CPU work runs: pool (worker threads, ahead of CPU requests) or "
         "loop (on the event loop, to show the cost)")
      ->check(CLI::IsMember({"pool", "loop"}));
  option_ms(app, "--tls-handshake-timeout-ms", c.tls_handshake_timeout,
            "Accepting a connection to the end of its TLS handshake; past it the connection "
            "closes (counted)");
  option(app, "--max-pending-handshakes", c.max_pending_handshakes,
         "Handshake steps waiting for a worker; past it the new connection closes (counted)")
      ->check(range<std::size_t>(1, 1 << 20));
}

void admin_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Admin");
  app.add_option_function<std::uint16_t>(
         "--admin-port", [&c](std::uint16_t p) { c.admin_port = p; },
         "Plain-HTTP port for probes and scrapers (/healthz, /readyz, /metrics, /stats, "
         "/dashboard), on --host, apart from --max-connections; 0 picks a free one; none by "
         "default")
      ->envname(env_name(kEnvPrefix, "--admin-port"))
      ->default_str(c.admin_port ? std::to_string(*c.admin_port) : "");
  option(app, "--max-admin-connections", c.max_admin_connections,
         "Open connections on --admin-port; a new one past it is closed at once")
      ->check(range<std::size_t>(1, 1 << 16));
}

void logging_options(CLI::App& app, Config& c) {
  app.option_defaults()->group("Logging");
  option(app, "--log-level", c.log_level, "trace, debug, info, warn, error, critical, off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_flag("--access-log,!--no-access-log", c.access_log,
               "One log line per request (method, target, status, bytes, duration)")
      ->envname(env_name(kEnvPrefix, "--access-log"))
      ->default_str(c.access_log ? "true" : "false");
}

// The one definition of every option, bound to `c`; defaults are the
// values `c` holds.
void define_options(CLI::App& app, Config& c) {
  app.set_version_flag("--version", std::string(kName) + " " + kVersion);
  app.option_defaults()->always_capture_default();
  listener_options(app, c);
  worker_options(app, c);
  admission_options(app, c);
  limit_options(app, c);
  timeout_options(app, c);
  tls_options(app, c);
  admin_options(app, c);
  logging_options(app, c);
}

constexpr const char* kAbout = "coroserve: one coroutine event loop for I/O, a worker pool for CPU";

}  // namespace

std::optional<Config> parse_config(int argc, char** argv, int& exit_code) {
  Config c;
  CLI::App app{kAbout};
  define_options(app, c);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  // SCHED_IDLE has no nice value: a nice value asked for would be ignored.
  if (c.worker_sched == "idle" && app.count("--worker-nice") > 0) {
    std::cerr << "coroserve: --worker-nice applies to --worker-sched other and batch; "
                 "SCHED_IDLE takes no nice value (drop one of the two)\n";
    exit_code = 2;
    return std::nullopt;
  }
  exit_code = 0;
  return c;
}

std::string describe(const Config& c) {
  Config shown = c;
  shown.workers = c.effective_workers();
  CLI::App app{kAbout};
  define_options(app, shown);
  return options_summary(app);
}

std::string options_markdown() {
  Config defaults;
  CLI::App app{kAbout};
  define_options(app, defaults);
  return coroserve::options_markdown(app);
}

}  // namespace coroserve
