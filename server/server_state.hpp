#pragma once
// What handlers may see of the server: its config, its pool, its metrics,
// whether it is draining. Owned by Server, touched only on the loop thread
// (except the pool, which is thread-safe by design).
#include <chrono>
#include <functional>

#include "common/http_date.hpp"
#include "common/logging.hpp"
#include "server/client_key.hpp"
#include "server/config.hpp"
#include "server/endpoints.hpp"
#include "server/image_memory.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/tls/tls_state.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {

struct ServerState {
  ServerState(const Config& c, WorkerPool& p)
      : config(c),
        pool(p),
        router(endpoints()),
        admin_router(admin_endpoints()),
        image_memory(c.max_image_bytes),
        client_key_rule(parse_client_key_rule(c.client_key).value_or(ClientKeyRule{})) {}

  const Config& config;
  WorkerPool& pool;
  Router router;
  Router admin_router;  // --admin-port's: the ops endpoints only
  Metrics metrics;
  bool draining = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  HttpDateCache date;
  std::function<std::size_t()> open_connections;    // set by Server
  std::function<std::size_t()> parked_connections;  // set by Server
  ImageMemoryBudget image_memory;                   // Mandelbrot renders, vs --max-image-bytes
  tls::TlsState tls;                                // set by Server when --tls-cert is given
  ClientKeyRule client_key_rule;                    // --client-key

  // The figures /metrics and /stats report besides Metrics' own.
  ScrapeInputs scrape_inputs() const {
    ScrapeInputs in;
    in.pool = pool.stats();
    in.connections_open = open_connections ? open_connections() : 0;
    in.connections_parked = parked_connections ? parked_connections() : 0;
    in.draining = draining;
    in.log_lines_dropped = dropped_log_lines();
    in.uptime_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (tls.context()) in.tls = tls.where;
    in.label_pid = config.reuse_port;
    return in;
  }
};

}  // namespace coroserve
