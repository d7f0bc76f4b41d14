#pragma once
// Every limit and setting of the server, with its default. The fields'
// initializers are the defaults; config.cpp defines each option once (flag,
// environment variable, range, help), and the parser, --help, the startup
// line and the README's options table all read that one definition.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace coroserve {

struct Config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string port_file;    // when set, the bound port is written here once listening
  bool reuse_port = false;  // SO_REUSEPORT: other processes may listen on --port too

  unsigned workers = 0;                // 0 = one per core
  std::size_t queue = 1024;            // CPU tasks waiting for a worker; past it: 503
  std::string worker_sched = "other";  // other, batch or idle (worker_sched.hpp)
  int worker_nice = 10;                // workers yield the CPU to the loop thread
  bool cpu_on_loop = true;             // permit ?where=loop (the anti-pattern demo)

  // Admission and fairness of CPU work (admission.hpp, fair_queue.hpp).
  std::chrono::milliseconds queue_target{5};      // the queue's target wait
  std::chrono::milliseconds queue_interval{100};  // standing above it this long: shed
  std::size_t max_queued_per_client = 256;        // parts one client may have waiting: 429 past it
  std::size_t max_tracked_clients = 1024;         // clients with their own turn; others share one
  std::string client_key = "ip";                  // ip, connection or header:NAME
  std::chrono::milliseconds refusal_pause{100};   // a refused request's connection waits this long

  std::size_t max_connections = 10000;
  std::size_t max_header_bytes = 8192;       // fields, not the request line: 431 past it
  std::size_t max_url_bytes = 4096;          // request target: 414 past it
  std::size_t max_body_bytes = 1 << 20;      // request body: 413 past it
  std::size_t max_image_bytes = 128u << 20;  // Mandelbrot renders in flight: 503 past it

  std::chrono::milliseconds header_timeout{10'000};  // first byte to end of header: 408
  std::chrono::milliseconds body_timeout{30'000};    // end of header to end of body: 408
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive wait for the next request
  std::chrono::milliseconds idle_park{200};  // idle this long: buffer and coroutine given back
  std::chrono::milliseconds write_timeout{30'000};  // one response to a slow reader
  std::chrono::milliseconds drain_timeout{10'000};  // SIGTERM: time for in-flight requests

  std::string tls_cert;  // with tls_key: --port speaks HTTPS
  std::string tls_key;
  std::string tls_handshake_on = "pool";  // where handshakes' CPU work runs: pool or loop
  std::chrono::milliseconds tls_handshake_timeout{10'000};  // accept to handshake done
  std::size_t max_pending_handshakes = 256;                 // steps waiting for a worker

  std::optional<std::uint16_t> admin_port;  // plain HTTP for probes and scrapers; none by default
  std::size_t max_admin_connections = 64;

  std::string log_level = "info";
  bool access_log = false;

  unsigned effective_workers() const;
  bool tls() const { return !tls_cert.empty() || !tls_key.empty(); }
};

// Parses argv (and COROSERVE_* environment variables). Returns the config,
// or nullopt after printing help, the version or an error; `exit_code` then
// says what to exit with.
std::optional<Config> parse_config(int argc, char** argv, int& exit_code);

// "host=127.0.0.1 port=8080 ...": every option's value, for the startup line.
std::string describe(const Config& c);

// The options as the README's table (option, environment, default, values, meaning).
std::string options_markdown();

}  // namespace coroserve
