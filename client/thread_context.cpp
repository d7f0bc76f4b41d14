#include "client/thread_context.hpp"

#include <algorithm>

namespace corobench {

std::uint64_t RunControl::claim(std::uint64_t want) noexcept {
  if (!limited) return want;
  std::int64_t left = remaining.load(std::memory_order_relaxed);
  while (left > 0) {
    const std::int64_t take = std::min<std::int64_t>(left, static_cast<std::int64_t>(want));
    if (remaining.compare_exchange_weak(left, left - take, std::memory_order_relaxed)) {
      return static_cast<std::uint64_t>(take);
    }
  }
  return 0;
}

namespace {

std::vector<unsigned> weights_of(const std::vector<RequestTemplate>& requests) {
  std::vector<unsigned> w;
  for (const auto& r : requests) w.push_back(r.weight);
  return w;
}

}  // namespace

ThreadContext::ThreadContext(boost::asio::io_context& ioc_, const LoadPlan& plan_, RunControl& ctl_,
                             const ConnectTarget& to_, LiveCounters& live_)
    : ioc(ioc_),
      plan(plan_),
      ctl(ctl_),
      to(to_),
      live(live_),
      stats(plan_.per_line_stats ? plan_.requests.size() : 0),
      picker(weights_of(plan_.requests)) {
  // Under -n alone the length is unknown: the series grows as it goes.
  series.start(ctl_.measure_start, plan_.warmup,
               plan_.warmup + plan_.duration.value_or(Clock::duration{}) + plan_.timeout);
}

}  // namespace corobench
