#pragma once
#include <chrono>
#include <cstdint>
#include <optional>

#include "client/arrival.hpp"

namespace corobench {

using Clock = std::chrono::steady_clock;

// When a send was due and when it went out. Latency is always measured from
// `scheduled`: in a closed loop the two are equal; in an open loop a send that
// goes out late (because the connection was still waiting for a stalled
// answer) keeps its earlier due time, so the stall shows in every request it
// delayed instead of in one (no coordinated omission, as in wrk2).
struct SendTiming {
  Clock::time_point scheduled;
  Clock::time_point sent;
};

inline std::int64_t latency_ns(const SendTiming& t, Clock::time_point done) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(done - t.scheduled).count();
}

// Decides when one connection sends. Pure arithmetic on time points handed in
// by the caller, never reading a clock itself: tests drive it with made-up
// times, the connection coroutine with Clock::now().
//
// Closed loop: each send is due at once (`now`).
// Open loop at `total_rate` requests/s over `connections` connections: the
// connection with index j sends its k-th batch (of `batch` pipelined requests)
// at start + (j + k * connections) * batch / total_rate. Together the
// connections send evenly spaced, every batch / total_rate seconds, and each
// schedule is fixed at the start: it never drifts with the server's speed.
//
// Poisson arrivals: each connection's batches are a Poisson process of rate
// total_rate / (batch * connections): exponential gaps, drawn from a
// generator seeded per connection. Independent Poisson processes add up to
// one of the summed rate, so the connections together send as a Poisson
// process at total_rate / batch batches/s; no shared dispatcher is needed.
// Each due time is still fixed in advance and latency measured from it.
class Pacer {
 public:
  static Pacer closed_loop() { return Pacer(); }
  static Pacer open_loop(double total_rate, unsigned connections, unsigned index,
                         Clock::time_point start, unsigned batch = 1,
                         Arrival arrival = Arrival::uniform, std::uint64_t seed = 0);

  bool is_open() const noexcept { return open_; }

  // When the next send is due; in a closed loop that is `now`.
  Clock::time_point due(Clock::time_point now) const noexcept;

  // How long to wait before the next send, zero when it is due or overdue.
  Clock::duration wait(Clock::time_point now) const noexcept;

  // Marks the next send as going out at `now` and moves on to the one after.
  SendTiming issue(Clock::time_point now) noexcept;

  std::uint64_t issued() const noexcept { return issued_; }
  // How many sends not yet issued are due in [from, until): at the end of an
  // open-loop run, the ones that never left. A copy steps through them, so
  // this pacer is left as it was.
  std::uint64_t due_between(Clock::time_point from, Clock::time_point until) const;
  // Time between two sends of this connection (zero in a closed loop; the
  // mean with Poisson arrivals).
  Clock::duration interval() const noexcept;

 private:
  Pacer() = default;

  bool open_ = false;
  Clock::time_point first_{};
  double interval_ns_ = 0;  // a double, so that k * interval does not drift
  std::uint64_t issued_ = 0;
  std::optional<PoissonGaps> gaps_;  // Poisson arrivals
  double next_ns_ = 0;               // Poisson: the next due time, after first_
};

}  // namespace corobench
