#pragma once
// What handlers may see of the server: its config, its pool, whether it is
// draining. Owned by Server, touched only on the loop thread (except the
// pool, which is thread-safe by design).
#include <chrono>

#include "common/http_date.hpp"
#include "server/config.hpp"
#include "server/router.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {

struct LoopCounters {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_rejected = 0;
  std::uint64_t requests = 0;
  std::uint64_t cpu_on_loop = 0;  // CPU requests run with where=loop
};

struct ServerState {
  ServerState(const Config& c, WorkerPool& p) : config(c), pool(p) {}

  const Config& config;
  WorkerPool& pool;
  Router router;
  bool draining = false;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  HttpDateCache date;
  LoopCounters counters;
};

}  // namespace coroserve
