#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "client/rate_scheduler.hpp"

namespace {

using corobench::Arrival;
using corobench::Clock;
using corobench::Pacer;
using corobench::SendTiming;
using namespace std::chrono_literals;

const Clock::time_point kT0 = Clock::time_point{} + 1000s;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

TEST(ClientRateScheduler, ClosedLoopIsAlwaysDueNow) {
  Pacer p = Pacer::closed_loop();
  EXPECT_FALSE(p.is_open());
  const auto now = kT0 + 123ms;
  EXPECT_EQ(p.due(now), now);
  EXPECT_EQ(p.wait(now), Clock::duration::zero());
  const SendTiming t = p.issue(now);
  EXPECT_EQ(t.scheduled, now);
  EXPECT_EQ(corobench::latency_ns(t, now + 250us), 250'000);
}

TEST(ClientRateScheduler, ConnectionsTogetherSendAtTheAskedRateEvenlySpaced) {
  // 1000 req/s over 8 connections for 2 s: 2000 sends, one every 1 ms.
  const double rate = 1000;
  const unsigned conns = 8;
  std::vector<Pacer> pacers;
  for (unsigned j = 0; j < conns; ++j) pacers.push_back(Pacer::open_loop(rate, conns, j, kT0));
  std::vector<Clock::time_point> sends;
  for (auto& p : pacers) {
    // Each connection sends whenever due (an infinitely fast server).
    while (p.due(kT0) < kT0 + 2s) sends.push_back(p.issue(p.due(kT0)).scheduled);
  }
  EXPECT_EQ(sends.size(), 2000u);
  std::sort(sends.begin(), sends.end());
  for (std::size_t i = 1; i < sends.size(); ++i) {
    EXPECT_NEAR(seconds(sends[i] - sends[i - 1]), 0.001, 1e-8) << i;
  }
  // Any one-second window holds the rate.
  const auto in_window = std::count_if(sends.begin(), sends.end(),
                                       [](auto t) { return t >= kT0 + 500ms && t < kT0 + 1500ms; });
  EXPECT_EQ(in_window, 1000);
}

TEST(ClientRateScheduler, DueBetweenCountsTheSendsLeftInAWindowWithoutMovingOn) {
  // 10/s on one connection: due at 0, 100, 200, ... ms.
  Pacer p = Pacer::open_loop(10, 1, 0, kT0);
  EXPECT_EQ(p.due_between(kT0, kT0 + 1s), 10u);
  for (int i = 0; i < 3; ++i) p.issue(p.due(kT0));
  EXPECT_EQ(p.due_between(kT0, kT0 + 1s), 7u);
  EXPECT_EQ(p.due(kT0), kT0 + 300ms);  // left where it was
  // Only what is due from `from` on counts (a warmup's sends do not).
  EXPECT_EQ(p.due_between(kT0 + 550ms, kT0 + 1s), 4u);
  EXPECT_EQ(p.due_between(kT0, kT0 + 300ms), 0u);
  EXPECT_EQ(Pacer::closed_loop().due_between(kT0, kT0 + 1s), 0u);
}

TEST(ClientRateScheduler, ScheduleDoesNotDriftOverManySends) {
  Pacer p = Pacer::open_loop(3, 1, 0, kT0);  // 333.33... ms apart, not a whole ns
  for (int i = 0; i < 300'000; ++i) p.issue(p.due(kT0));
  // 300 000 sends at 3/s end at 100 000 s, within a nanosecond or so.
  EXPECT_NEAR(seconds(p.due(kT0) - kT0), 100'000.0, 1e-6);
}

TEST(ClientRateScheduler, WaitIsTimeUntilDueAndZeroWhenLate) {
  Pacer p = Pacer::open_loop(100, 1, 0, kT0);  // every 10 ms
  p.issue(kT0);
  EXPECT_EQ(p.wait(kT0 + 4ms), 6ms);
  EXPECT_EQ(p.wait(kT0 + 10ms), Clock::duration::zero());
  EXPECT_EQ(p.wait(kT0 + 50ms), Clock::duration::zero());
}

TEST(ClientRateScheduler, PipelinedBatchesKeepTheRequestRate) {
  // 1000 req/s in batches of 4 on 2 connections: each sends every 8 ms.
  Pacer a = Pacer::open_loop(1000, 2, 0, kT0, 4);
  Pacer b = Pacer::open_loop(1000, 2, 1, kT0, 4);
  EXPECT_EQ(a.interval(), 8ms);
  EXPECT_EQ(b.due(kT0) - a.due(kT0), 4ms);
}

// A simulated connection against a server that answers in 1 ms, except for
// one 1 s stall. The connection waits for each answer before the next send
// (as any connection with one request in flight must).
struct Sim {
  std::vector<std::int64_t> latencies_ns;
  int sends = 0;
};

Sim simulate(Pacer p, Clock::duration run_for) {
  Sim s;
  auto now = kT0;
  const auto stall_from = kT0 + 1s;
  while (p.due(now) < kT0 + run_for) {
    now += p.wait(now);  // the injected clock jumps instead of sleeping
    const SendTiming t = p.issue(now);
    ++s.sends;
    const bool stalled = now >= stall_from && now < stall_from + 1ms;
    now += stalled ? 1s : 1ms;
    s.latencies_ns.push_back(corobench::latency_ns(t, now));
  }
  return s;
}

TEST(ClientRateScheduler, OpenLoopCountsTheStallInEveryRequestItDelayed) {
  // 100 req/s for 3 s: the 1 s stall delays ~100 scheduled sends, and each
  // of them is charged from its scheduled time, so ~1% of requests see
  // latencies from 1 s down to 10 ms: p99 reflects the stall.
  const Sim s = simulate(Pacer::open_loop(100, 1, 0, kT0), 3s);
  EXPECT_EQ(s.sends, 300);  // the schedule is kept: late sends go out back to back
  auto lat = s.latencies_ns;
  std::sort(lat.begin(), lat.end());
  const auto over_100ms =
      std::count_if(lat.begin(), lat.end(), [](auto v) { return v > 100'000'000; });
  EXPECT_GE(over_100ms, 85);  // ~90 sends were due during the stall
  EXPECT_EQ(lat.back(), 1'000'000'000);
  EXPECT_GT(lat[lat.size() * 75 / 100], 100'000'000);  // even p75 shows it
}

TEST(ClientRateScheduler, ClosedLoopHidesTheStallInOneRequest) {
  // The same stall, closed loop: only the one request in flight sees it;
  // the requests that were never sent are never measured (coordinated
  // omission). This is why -R exists.
  const Sim s = simulate(Pacer::closed_loop(), 3s);
  auto lat = s.latencies_ns;
  const auto over_100ms =
      std::count_if(lat.begin(), lat.end(), [](auto v) { return v > 100'000'000; });
  EXPECT_EQ(over_100ms, 1);
}

TEST(ClientRateScheduler, RejectsNonsense) {
  EXPECT_THROW(Pacer::open_loop(0, 1, 0, kT0), std::invalid_argument);
  EXPECT_THROW(Pacer::open_loop(10, 0, 0, kT0), std::invalid_argument);
  EXPECT_THROW(Pacer::open_loop(10, 2, 2, kT0), std::invalid_argument);
  EXPECT_THROW(Pacer::open_loop(10, 2, 0, kT0, 0), std::invalid_argument);
}

TEST(ClientRateScheduler, PoissonGapsAverageTheIntervalAndVaryLikeAnExponential) {
  // 1000 req/s over 4 connections: each connection's mean gap is 4 ms.
  const unsigned conns = 4;
  std::vector<Clock::time_point> sends;
  for (unsigned j = 0; j < conns; ++j) {
    Pacer p = Pacer::open_loop(1000, conns, j, kT0, 1, Arrival::poisson, 42);
    EXPECT_EQ(p.interval(), 4ms);
    while (p.due(kT0) < kT0 + 100s) sends.push_back(p.issue(p.due(kT0)).scheduled);
  }
  // 100 000 sends expected in 100 s; a Poisson count's stdev is ~316.
  EXPECT_NEAR(static_cast<double>(sends.size()), 100'000.0, 1'500.0);
  std::sort(sends.begin(), sends.end());
  // Together a Poisson process at 1000/s: gaps of mean 1 ms whose stdev
  // equals the mean (an even schedule's would be 0).
  double sum = 0, sum2 = 0;
  for (std::size_t i = 1; i < sends.size(); ++i) {
    const double g = seconds(sends[i] - sends[i - 1]) * 1e3;
    sum += g;
    sum2 += g * g;
  }
  const double n = static_cast<double>(sends.size() - 1);
  const double mean = sum / n;
  EXPECT_NEAR(mean, 1.0, 0.02);
  EXPECT_NEAR(std::sqrt(sum2 / n - mean * mean), 1.0, 0.05);
}

TEST(ClientRateScheduler, PoissonSchedulesRepeatWithTheSeedAndDifferWithout) {
  auto first_sends = [](std::uint64_t seed, unsigned index) {
    Pacer p = Pacer::open_loop(100, 2, index, kT0, 1, Arrival::poisson, seed);
    std::vector<Clock::time_point> out;
    for (int i = 0; i < 20; ++i) out.push_back(p.issue(p.due(kT0)).scheduled);
    return out;
  };
  EXPECT_EQ(first_sends(7, 0), first_sends(7, 0));
  EXPECT_NE(first_sends(7, 0), first_sends(8, 0));
  EXPECT_NE(first_sends(7, 0), first_sends(7, 1));  // connections do not march in step
}

TEST(ClientRateScheduler, UniformArrivalIsTheEvenSchedule) {
  Pacer a = Pacer::open_loop(1000, 4, 1, kT0, 2, Arrival::uniform, 99);
  Pacer b = Pacer::open_loop(1000, 4, 1, kT0, 2);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(a.due(kT0), b.due(kT0));
    EXPECT_EQ(a.due(kT0), kT0 + 2ms + i * 8ms);
    a.issue(kT0);
    b.issue(kT0);
  }
}

TEST(ClientRateScheduler, ArrivalNamesParse) {
  EXPECT_EQ(corobench::parse_arrival("uniform"), Arrival::uniform);
  EXPECT_EQ(corobench::parse_arrival("poisson"), Arrival::poisson);
  EXPECT_EQ(corobench::parse_arrival("Poisson"), std::nullopt);
  EXPECT_EQ(corobench::to_string(Arrival::poisson), "poisson");
}

}  // namespace
