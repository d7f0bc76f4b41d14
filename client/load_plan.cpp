#include "client/load_plan.hpp"

#include "client/errors.hpp"

namespace corobench {

namespace {

// What is sent, over how many connections and threads.
void check_concurrency(const LoadPlan& p) {
  if (p.requests.empty()) throw UsageError("nothing to send");
  if (p.connections == 0) throw UsageError("--connections must be at least 1");
  if (p.threads == 0) throw UsageError("--threads must be at least 1");
  if (p.threads > p.connections) {
    throw UsageError("--threads (" + std::to_string(p.threads) +
                     ") must not exceed --connections (" + std::to_string(p.connections) +
                     "): each thread drives its own connections");
  }
  if (p.pipeline == 0) throw UsageError("--pipeline must be at least 1");
  if (!p.keepalive && p.pipeline > 1) {
    throw UsageError(
        "--pipeline needs keep-alive: with --no-keepalive each connection carries one request");
  }
}

// How long the run lasts, how fast it sends, how long a request may take.
void check_timing(const LoadPlan& p) {
  if (!p.duration && !p.total_requests) {
    throw UsageError("give a duration (-d) or a request count (-n)");
  }
  if (p.duration && *p.duration <= Clock::duration::zero()) {
    throw UsageError("--duration must be positive");
  }
  if (p.total_requests && *p.total_requests == 0) throw UsageError("-n must be at least 1");
  if (p.timeout <= Clock::duration::zero()) throw UsageError("--timeout must be positive");
  if (p.rate && !(*p.rate > 0)) throw UsageError("--rate must be positive");
  if (p.connect_rate && !(*p.connect_rate > 0)) {
    throw UsageError("--connect-rate must be positive");
  }
  if (p.warmup < Clock::duration::zero()) throw UsageError("--warmup must not be negative");
}

}  // namespace

void LoadPlan::validate() const {
  check_concurrency(*this);
  check_timing(*this);
}

}  // namespace corobench
