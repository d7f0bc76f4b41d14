#include "client/load_plan.hpp"

#include "client/errors.hpp"

namespace corobench {

void LoadPlan::validate() const {
  if (requests.empty()) throw UsageError("nothing to send");
  if (connections == 0) throw UsageError("--connections must be at least 1");
  if (threads == 0) throw UsageError("--threads must be at least 1");
  if (threads > connections) {
    throw UsageError("--threads (" + std::to_string(threads) + ") must not exceed --connections (" +
                     std::to_string(connections) + "): each thread drives its own connections");
  }
  if (pipeline == 0) throw UsageError("--pipeline must be at least 1");
  if (!keepalive && pipeline > 1) {
    throw UsageError(
        "--pipeline needs keep-alive: with --no-keepalive each connection carries one request");
  }
  if (!duration && !total_requests)
    throw UsageError("give a duration (-d) or a request count (-n)");
  if (duration && *duration <= Clock::duration::zero())
    throw UsageError("--duration must be positive");
  if (total_requests && *total_requests == 0) throw UsageError("-n must be at least 1");
  if (timeout <= Clock::duration::zero()) throw UsageError("--timeout must be positive");
  if (rate && !(*rate > 0)) throw UsageError("--rate must be positive");
  if (warmup < Clock::duration::zero()) throw UsageError("--warmup must not be negative");
}

}  // namespace corobench
