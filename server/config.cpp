#include "server/config.hpp"

#include <CLI/CLI.hpp>

#include <sstream>
#include <thread>

#include "common/version.hpp"

namespace coroserve {

unsigned Config::effective_workers() const {
  if (workers != 0) return workers;
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

namespace {

// CLI11 has no chrono support in 2.3, so durations are flags in milliseconds.
void add_ms(CLI::App& app, const std::string& flag, const std::string& env,
            std::chrono::milliseconds& target, const std::string& help, long long min = 1) {
  auto* opt = app.add_option_function<long long>(
      flag, [&target](long long v) { target = std::chrono::milliseconds(v); }, help);
  opt->envname(env)
      ->check(CLI::Range(min, 24LL * 3600 * 1000))
      ->default_str(std::to_string(target.count()));
}

}  // namespace

std::optional<Config> parse_config(int argc, char** argv, int& exit_code) {
  Config c;
  CLI::App app{"coroserve: one coroutine event loop for I/O, a worker pool for CPU"};
  app.set_version_flag("--version", std::string(kName) + " " + kVersion);
  app.option_defaults()->always_capture_default();

  app.add_option("--host", c.host, "Address to listen on")->envname("COROSERVE_HOST");
  app.add_option("--port", c.port, "TCP port (0 = any free port)")->envname("COROSERVE_PORT");
  app.add_option("--port-file", c.port_file, "Write the bound port to this file once listening")
      ->envname("COROSERVE_PORT_FILE");
  app.add_option("--workers", c.workers, "Worker threads for CPU work (0 = one per core)")
      ->envname("COROSERVE_WORKERS")
      ->check(CLI::Range(0u, 256u));
  app.add_option("--queue", c.queue, "CPU tasks that may wait for a worker; past it 503")
      ->envname("COROSERVE_QUEUE")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  app.add_option("--worker-nice", c.worker_nice,
                 "Nice value of worker threads (higher = the loop wins the CPU)")
      ->envname("COROSERVE_WORKER_NICE")
      ->check(CLI::Range(0, 19));
  app.add_option("--cpu-on-loop", c.cpu_on_loop,
                 "Permit ?where=loop, which runs CPU work on the event loop (true/false)")
      ->envname("COROSERVE_CPU_ON_LOOP");
  app.add_option("--max-connections", c.max_connections,
                 "Open connections; past it new ones get 503 and are closed")
      ->envname("COROSERVE_MAX_CONNECTIONS")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20));
  app.add_option("--max-header-bytes", c.max_header_bytes,
                 "Request line + header fields; past it 431")
      ->envname("COROSERVE_MAX_HEADER_BYTES")
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20));
  app.add_option("--max-url-bytes", c.max_url_bytes, "Request target length; past it 414")
      ->envname("COROSERVE_MAX_URL_BYTES")
      ->check(CLI::Range(std::size_t{16}, std::size_t{1} << 20));
  app.add_option("--max-body-bytes", c.max_body_bytes, "Request body; past it 413")
      ->envname("COROSERVE_MAX_BODY_BYTES")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 30));
  app.add_option("--max-image-bytes", c.max_image_bytes,
                 "Memory for Mandelbrot renders in flight (~9 bytes a pixel); past it 503")
      ->envname("COROSERVE_MAX_IMAGE_BYTES")
      ->check(CLI::Range(std::size_t{1} << 20, std::size_t{1} << 36));
  add_ms(app, "--header-timeout-ms", "COROSERVE_HEADER_TIMEOUT_MS", c.header_timeout,
         "Time to receive a request header; past it 408 and close");
  add_ms(app, "--body-timeout-ms", "COROSERVE_BODY_TIMEOUT_MS", c.body_timeout,
         "Time to receive a request body; past it 408 and close");
  add_ms(app, "--idle-timeout-ms", "COROSERVE_IDLE_TIMEOUT_MS", c.idle_timeout,
         "Keep-alive wait for the next request; past it the connection closes");
  add_ms(app, "--idle-park-ms", "COROSERVE_IDLE_PARK_MS", c.idle_park,
         "Keep-alive wait after which a connection gives back its read buffer and "
         "coroutine until its next request (0: never)",
         0);
  add_ms(app, "--write-timeout-ms", "COROSERVE_WRITE_TIMEOUT_MS", c.write_timeout,
         "Time to send one response; past it the connection closes");
  add_ms(app, "--drain-timeout-ms", "COROSERVE_DRAIN_TIMEOUT_MS", c.drain_timeout,
         "On SIGTERM/SIGINT, time in-flight requests get to finish");
  app.add_option("--log-level", c.log_level, "trace, debug, info, warn, error, critical, off")
      ->envname("COROSERVE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  app.add_flag("--access-log,!--no-access-log", c.access_log, "One log line per request")
      ->envname("COROSERVE_ACCESS_LOG");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  exit_code = 0;
  return c;
}

std::string describe(const Config& c) {
  std::ostringstream o;
  o << "listen=" << c.host << ":" << c.port << " workers=" << c.effective_workers()
    << " queue=" << c.queue << " worker_nice=" << c.worker_nice
    << " cpu_on_loop=" << (c.cpu_on_loop ? "true" : "false")
    << " max_connections=" << c.max_connections << " max_header_bytes=" << c.max_header_bytes
    << " max_url_bytes=" << c.max_url_bytes << " max_body_bytes=" << c.max_body_bytes
    << " max_image_bytes=" << c.max_image_bytes << " header_timeout_ms=" << c.header_timeout.count()
    << " body_timeout_ms=" << c.body_timeout.count()
    << " idle_timeout_ms=" << c.idle_timeout.count() << " idle_park_ms=" << c.idle_park.count()
    << " write_timeout_ms=" << c.write_timeout.count()
    << " drain_timeout_ms=" << c.drain_timeout.count() << " access_log=" << c.access_log;
  return o.str();
}

}  // namespace coroserve
