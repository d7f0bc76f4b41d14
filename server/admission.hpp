#pragma once
// Admission of CPU work by its time in queue, not only by the queue's length
// (CoDel's idea, as Facebook's "Fail at Scale" applies it to RPC queues).
//
// A queue that has not come down below `target` of sojourn (time from
// enqueue to a worker taking the part) within `interval` is standing, not
// absorbing a burst: the controller then sheds. While it sheds, new work is
// admitted only when the parts ahead of it would drain within `target` at
// the pool's current rate, so a short queue keeps the workers fed and every
// other request is refused at once, before anything is queued. While it
// sheds, each client's newest part runs first, except one that has waited
// past that promise (overdue()), which then runs in its turn. It stops
// shedding after an interval in which the queue did not stand and no request
// was refused: the load has dropped.
//
// Pure: no clock of its own (every call takes `now`), no lock (the worker
// pool calls it under its mutex), so tests drive it with a fake clock.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace coroserve {

class AdmissionController {
 public:
  using Clock = std::chrono::steady_clock;
  using Duration = std::chrono::nanoseconds;

  struct Options {
    Duration target = std::chrono::milliseconds(5);
    Duration interval = std::chrono::milliseconds(100);
    unsigned workers = 1;
  };

  explicit AdmissionController(Options options);

  // Worker side: a part left the queue after waiting `sojourn`; `left` parts
  // still wait.
  void on_dequeue(Clock::time_point now, Duration sojourn, std::size_t left);
  // Worker side: a part ran for `service` (wall time): the drain rate.
  void on_service(Duration service);

  // Loop side: may new work start waiting now? `queued`: parts waiting;
  // `ahead()`: parts that would run before its first one (called only while
  // shedding, as it may cost a walk over the clients). A refusal counts.
  template <class AheadFn>
  bool admit(Clock::time_point now, std::size_t queued, AheadFn&& ahead) {
    observe_queue(now, queued);
    if (!shedding(now)) return true;
    if (fits(ahead())) return true;
    shed_mark_ = now;
    ++refused_;
    return false;
  }

  // True while shedding (which also serves each client's newest first).
  bool shedding(Clock::time_point now) const {
    return shed_mark_ && now - *shed_mark_ < options_.interval;
  }
  // The wait admission promises a part while shedding: the target, or one
  // part's run if longer (no queue that keeps every worker fed can promise
  // less, and a tighter one would refuse even a client whose part is next).
  Duration promised_wait() const { return std::max(options_.target, service_time()); }
  // Has a part waited past that promise? Newest-first order passes over the
  // older parts, and with arrivals that never stop it would pass over them
  // for good: an overdue part runs before newer ones.
  bool overdue(Duration waited) const { return waited > promised_wait(); }
  // How long the pool takes to run `parts` parts at its current rate.
  Duration drain_time(std::size_t parts) const;
  // drain_time in whole seconds, at least 1: a Retry-After value.
  unsigned retry_after_s(std::size_t parts) const;
  // Mean wall time of a part (moving average); zero before the first.
  Duration service_time() const { return Duration(service_ns_); }
  std::uint64_t refused() const { return refused_; }

 private:
  // Would a part with `ahead` parts before it start within the promise?
  bool fits(std::size_t ahead) const { return drain_time(ahead) <= promised_wait(); }
  // The queue seen from the loop: empty, or standing with no part leaving.
  void observe_queue(Clock::time_point now, std::size_t queued);
  // A sojourn above the target: standing for an interval means shedding.
  void above_target(Clock::time_point since, Clock::time_point now);

  Options options_;
  std::optional<Clock::time_point> above_since_;  // sojourns above target since then
  std::optional<Clock::time_point> shed_mark_;    // shedding confirmed last (stand or refusal)
  // The part at the head of the queue has waited at least since then (the
  // queue was empty before, or a part left with this one behind it).
  std::optional<Clock::time_point> head_since_;
  std::int64_t service_ns_ = 0;
  std::uint64_t refused_ = 0;
};

}  // namespace coroserve
