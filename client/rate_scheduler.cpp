#include "client/rate_scheduler.hpp"

#include <algorithm>
#include <stdexcept>

namespace corobench {

Pacer Pacer::open_loop(double total_rate, unsigned connections, unsigned index,
                       Clock::time_point start, unsigned batch, Arrival arrival,
                       std::uint64_t seed) {
  if (!(total_rate > 0) || connections == 0 || batch == 0 || index >= connections) {
    throw std::invalid_argument("Pacer: rate, connections and batch must be positive");
  }
  Pacer p;
  p.open_ = true;
  // The k-th due time is computed from k (below), not by adding k gaps, so
  // rounding to whole nanoseconds never accumulates.
  const double gap_ns = 1e9 * batch / total_rate;
  p.interval_ns_ = gap_ns * connections;
  if (arrival == Arrival::poisson) {
    // Each connection its own stream, all of them from the run's seed.
    p.gaps_.emplace(p.interval_ns_, seed, index);
    p.first_ = start;
    p.next_ns_ = p.gaps_->next_ns();
    return p;
  }
  p.first_ = start + std::chrono::nanoseconds(static_cast<std::int64_t>(gap_ns * index));
  return p;
}

Clock::time_point Pacer::due(Clock::time_point now) const noexcept {
  if (!open_) return now;
  if (gaps_) return first_ + std::chrono::nanoseconds(static_cast<std::int64_t>(next_ns_));
  return first_ + std::chrono::nanoseconds(
                      static_cast<std::int64_t>(interval_ns_ * static_cast<double>(issued_)));
}

Clock::duration Pacer::wait(Clock::time_point now) const noexcept {
  return std::max(Clock::duration::zero(), due(now) - now);
}

std::uint64_t Pacer::due_between(Clock::time_point from, Clock::time_point until) const {
  if (!open_) return 0;
  Pacer p = *this;
  std::uint64_t n = 0;
  for (Clock::time_point t = p.due(from); t < until; t = p.due(from)) {
    if (t >= from) ++n;
    p.issue(t);
  }
  return n;
}

Clock::duration Pacer::interval() const noexcept {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(interval_ns_));
}

SendTiming Pacer::issue(Clock::time_point now) noexcept {
  const SendTiming t{due(now), now};
  ++issued_;
  // Summed in a double from the start, so rounding does not accumulate.
  if (gaps_) next_ns_ += gaps_->next_ns();
  return t;
}

}  // namespace corobench
