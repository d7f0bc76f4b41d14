// The verdict on what limited a run, on injected CPU samples, and the /proc
// reading it is fed from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "client/cpu_sample.hpp"
#include "client/cpu_series.hpp"
#include "client/verdict.hpp"
#include "tests/support/wait.hpp"

namespace {

using namespace corobench;
using ::testing::HasSubstr;

// A process's CPU over a 10 s run; its busiest thread runnable as long as it
// ran unless told otherwise.
CpuUse use(double cores, double busiest, double runnable = -1) {
  return {cores, busiest, runnable < 0 ? busiest : runnable, cores * 10};
}

VerdictInput closed(CpuUse generator, std::optional<CpuUse> server, unsigned cpus = 8) {
  VerdictInput in;
  in.generator = generator;
  in.server = server;
  in.cpus = cpus;
  in.sent = 1000;
  return in;
}

TEST(ClientVerdict, ASaturatedGeneratorThreadNamesTheGenerator) {
  const Verdict v = judge(closed(use(0.98, 0.98), use(0.5, 0.5)));
  EXPECT_EQ(v.limit, Limit::generator);
  EXPECT_THAT(v.why, HasSubstr("add threads (-t) or use --pipeline"));
  EXPECT_THAT(v.why, HasSubstr("busiest thread 98% of a core"));
}

TEST(ClientVerdict, AThreadThatWaitedForASharedCoreIsSaturatedToo) {
  // On a busy machine the generator's thread ran 60% of a core and waited
  // for one the rest of the time: it never waited for the server.
  const Verdict v = judge(closed(use(0.6, 0.6, 0.97), use(0.5, 0.5), 2));
  EXPECT_EQ(v.limit, Limit::generator);
  EXPECT_THAT(v.why, HasSubstr("busiest thread 60% of a core (runnable 97% of the time)"));
  // It is named as waiting for a core, not as a thread that filled one:
  // more threads would not help.
  EXPECT_THAT(v.why, HasSubstr("was ready to run 97% of the time but ran 60%"));
  EXPECT_THAT(v.why, ::testing::Not(HasSubstr("add threads")));
  // Runnable little more than it ran: it waited for answers.
  EXPECT_EQ(judge(closed(use(0.6, 0.6, 0.62), use(0.5, 0.5), 2)).limit, Limit::server);
}

TEST(ClientVerdict, ASaturatedServerNamesTheServer) {
  // By its busiest thread (the loop), or by all its threads filling the
  // machine's cores (the pool), with the generator idle beside it.
  EXPECT_EQ(judge(closed(use(0.1, 0.1), use(1.0, 0.95))).limit, Limit::server);
  const Verdict pool = judge(closed(use(0.1, 0.05), use(1.9, 0.6), 2));
  EXPECT_EQ(pool.limit, Limit::server);
  EXPECT_THAT(pool.why, HasSubstr("its threads kept the machine's cores busy"));
  // A loop thread that ran 22% of a core and waited for one the rest: the
  // machine's cores, not the server's own work, were short.
  const Verdict starved = judge(closed(use(0.3, 0.3), use(0.6, 0.22, 0.91), 2));
  EXPECT_EQ(starved.limit, Limit::server);
  EXPECT_THAT(starved.why, HasSubstr("was ready to run 91% of the time but ran 22%"));
}

TEST(ClientVerdict, BothWhenBothSaturateOrTogetherFillTheMachine) {
  const Verdict each = judge(closed(use(0.95, 0.95), use(0.97, 0.97)));
  EXPECT_EQ(each.limit, Limit::both);
  EXPECT_THAT(each.why, HasSubstr("corobench, as its busiest thread kept a core busy; the server, "
                                  "as its busiest thread kept a core busy"));
  // Two cores: the generator's thread at one, the server at the rest.
  const Verdict v = judge(closed(use(0.92, 0.92), use(0.9, 0.5), 2));
  EXPECT_EQ(v.limit, Limit::both);
  EXPECT_THAT(v.why, HasSubstr("2 cores"));
}

TEST(ClientVerdict, AnIdleGeneratorInAClosedLoopNamesTheServersResponseTime) {
  const Verdict measured = judge(closed(use(0.2, 0.2), use(0.1, 0.1)));
  EXPECT_EQ(measured.limit, Limit::server);
  EXPECT_THAT(measured.why, HasSubstr("response time"));
  const Verdict unmeasured = judge(closed(use(0.2, 0.2), std::nullopt));
  EXPECT_EQ(unmeasured.limit, Limit::server);
  EXPECT_THAT(unmeasured.why, HasSubstr("not measured (--server-pid)"));
}

TEST(ClientVerdict, AnOpenLoopIsJudgedByItsLateSends) {
  VerdictInput in = closed(use(0.2, 0.2), use(0.3, 0.3));
  in.open_loop = true;
  in.late_sends = 10;  // 1%: not yet behind
  const Verdict on_time = judge(in);
  EXPECT_EQ(on_time.limit, Limit::none);
  EXPECT_THAT(on_time.why, HasSubstr("10 of 1000 sends left more than 1 ms late"));
  in.late_sends = 11;
  const Verdict late = judge(in);
  EXPECT_EQ(late.limit, Limit::generator);
  EXPECT_THAT(late.why, HasSubstr("add connections (-c)"));
}

TEST(ClientVerdict, DroppedSendsPastOnePercentOfTheScheduleMeanTheGeneratorFellBehind) {
  VerdictInput in = closed(use(0.2, 0.2), use(0.3, 0.3));
  in.open_loop = true;
  in.sent = 990;
  in.dropped_sends = 10;  // 1% of the 1000 due: not yet behind
  EXPECT_EQ(judge(in).limit, Limit::none);
  EXPECT_THAT(judge(in).why, HasSubstr("10 due were never sent"));
  in.sent = 989;
  in.dropped_sends = 11;
  const Verdict behind = judge(in);
  EXPECT_EQ(behind.limit, Limit::generator);
  EXPECT_THAT(behind.why, HasSubstr("11 due were never sent"));
  // A closed loop has no schedule to drop from.
  in.open_loop = false;
  EXPECT_EQ(judge(in).limit, Limit::server);
}

TEST(ClientVerdict, NamesForTheJson) {
  EXPECT_EQ(to_string(Limit::generator), "generator");
  EXPECT_EQ(to_string(Limit::server), "server");
  EXPECT_EQ(to_string(Limit::both), "both");
  EXPECT_EQ(to_string(Limit::none), "none");
}

TEST(ClientCpuSample, StatLinesAreReadAfterTheCommandName) {
  // utime 700 and stime 300 are fields 14 and 15; the name has a space and
  // a parenthesis of its own.
  const std::string line =
      "4242 (a b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 700 300 0 0 20 0 3 0 12345";
  EXPECT_EQ(stat_line_ticks(line), 1000u);
  EXPECT_FALSE(stat_line_ticks("4242 (short) S 1 2"));
  EXPECT_FALSE(stat_line_ticks(""));
}

TEST(ClientCpuSample, RunQueueWaitIsReadFromSchedstat) {
  EXPECT_EQ(schedstat_wait_ns("4219809 21423121 3"), 21423121u);
  EXPECT_EQ(schedstat_wait_ns(""), 0u);
  EXPECT_EQ(schedstat_wait_ns("garbage"), 0u);
}

TEST(ClientCpuSample, RunnableCountsTheTimeSpentWaitingForACore) {
  const auto ticks_per_s = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
  const auto t0 = std::chrono::steady_clock::now();
  // Over 1 s, thread 7 ran 0.5 s and waited 0.45 s for a core; thread 9
  // (born during the period) ran 0.2 s and never waited.
  const CpuSnapshot a{t0, {{7, 100, 1'000'000}}};
  const CpuSnapshot b{t0 + std::chrono::seconds(1),
                      {{7, 100 + ticks_per_s / 2, 451'000'000}, {9, ticks_per_s / 5, 0}}};
  const CpuUse u = cpu_between(a, b);
  EXPECT_NEAR(u.busiest_thread, 0.5, 0.02);
  EXPECT_NEAR(u.busiest_runnable, 0.95, 0.02);
  EXPECT_NEAR(u.cores, 0.7, 0.02);
}

// A snapshot taken as a load thread ends has lost that thread's CPU: it
// must not stand as the end of the measured period.
TEST(ClientCpuSample, ASnapshotThatLostAThreadIsNoLaterEnd) {
  const auto t0 = std::chrono::steady_clock::now();
  const CpuSnapshot both{t0, {{7, 10, 0}, {9, 500, 0}}};
  EXPECT_TRUE(keeps_every_thread(both, both));
  EXPECT_TRUE(keeps_every_thread({t0, {{7, 11, 0}, {8, 1, 0}, {9, 501, 0}}}, both));  // one born
  EXPECT_FALSE(keeps_every_thread({t0, {{7, 11, 0}}}, both));  // the busy one ended
  EXPECT_FALSE(keeps_every_thread({t0, {}}, both));
}

TEST(ClientCpuSample, ABusyThreadOfThisProcessIsSeen) {
  const auto before = cpu_snapshot(0);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->threads.empty());
  // A thread spins until it has used 100 ms of CPU (CPU time, not wall
  // time: a busy machine may give it less than a core), then until seen.
  std::atomic<bool> spun{false};
  std::atomic<bool> seen{false};
  std::thread spin([&] {
    while (!seen.load()) {
      timespec t{};
      ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      if (t.tv_sec > 0 || t.tv_nsec >= 100'000'000) spun = true;
    }
  });
  const auto ok = coroserve::test::wait_until([&] { return spun.load(); }, std::chrono::seconds(60),
                                              "a thread to use 100 ms of CPU");
  const auto during = cpu_snapshot(0);
  seen = true;
  spin.join();
  ASSERT_TRUE(ok);
  ASSERT_TRUE(during);
  const CpuUse u = cpu_between(*before, *during);
  EXPECT_GE(u.cpu_seconds, 0.05);  // /proc counts in ticks of 10 ms
  EXPECT_GT(u.busiest_thread, 0.0);
  EXPECT_GE(u.cores, u.busiest_thread);
  EXPECT_FALSE(cpu_snapshot(0x7ffffff0));  // no such process
}

// CpuSeries on made-up readings, taken `ms` milliseconds after second 0
// begins; `ticks` returns a second's CPU in clock ticks.
struct Series {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  CpuSeries s{0, start};
  const double tick = 1.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));

  void read(int ms, std::uint64_t ticks) { s.record(start + std::chrono::milliseconds(ms), ticks); }
  std::optional<double> ticks(std::size_t k) const {
    const auto cpu = s.second(k);
    return cpu ? std::optional<double>(*cpu / tick) : std::nullopt;
  }
};

// Each second's CPU is the difference of the readings at its two ends.
TEST(ClientCpuSeries, OnTimeReadingsGiveTheirDifferences) {
  Series t;
  t.read(0, 100);
  t.read(1000, 180);
  t.read(2000, 250);
  EXPECT_NEAR(*t.ticks(0), 80, 1e-9);
  EXPECT_NEAR(*t.ticks(1), 70, 1e-9);
  EXPECT_FALSE(t.ticks(2));  // its end is not read yet
  EXPECT_EQ(t.s.seconds().size(), 2u);
}

// Boundary 2 lies 1 s into the 1.3 s between the readings at 1 s and 2.3 s,
// which used 130 ticks: 180 + 130 * 1 / 1.3 = 280. Second 1 is then
// 280 - 180 = 100 ticks, second 2 is 380 - 280 = 100.
TEST(ClientCpuSeries, AReading300MsLateIsInterpolated) {
  Series t;
  t.read(0, 100);
  t.read(1000, 180);
  t.read(2300, 310);
  t.read(3000, 380);
  EXPECT_NEAR(*t.ticks(0), 80, 1e-9);
  EXPECT_NEAR(*t.ticks(1), 100, 1e-9);
  EXPECT_NEAR(*t.ticks(2), 100, 1e-9);
  EXPECT_EQ(t.s.seconds().size(), 3u);
}

// A boundary has a value only with a reading on each side of it (or at it).
TEST(ClientCpuSeries, ABoundaryWithoutAReadingAfterItHasNoValue) {
  Series t;
  t.read(-200, 90);
  t.read(800, 190);  // boundary 0: 90 + 100 * 0.2 = 110
  t.read(1000, 200);
  t.read(1600, 260);                   // nothing read at or after boundary 2
  EXPECT_NEAR(*t.ticks(0), 90, 1e-9);  // 200 - 110
  EXPECT_FALSE(t.ticks(1));
  ASSERT_EQ(t.s.seconds().size(), 1u);

  Series first_late;
  first_late.read(100, 100);  // nothing read at or before boundary 0
  first_late.read(1000, 180);
  first_late.read(2000, 250);
  EXPECT_FALSE(first_late.ticks(0));
  EXPECT_NEAR(*first_late.ticks(1), 70, 1e-9);
  const auto all = first_late.s.seconds();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(std::isnan(all[0]));
}

// Boundaries 2 and 3 were never read: the 250 ticks of the 2.5 s from 1 s
// to 3.5 s give each of them 100 a second, so boundary 2 is 300 and
// boundary 3 is 400.
TEST(ClientCpuSeries, AWholeSecondWithoutAReadingIsInterpolatedAcross) {
  Series t;
  t.read(0, 100);
  t.read(1000, 200);
  t.read(3500, 450);
  t.read(4000, 460);
  EXPECT_NEAR(*t.ticks(1), 100, 1e-9);
  EXPECT_NEAR(*t.ticks(2), 100, 1e-9);
  EXPECT_NEAR(*t.ticks(3), 60, 1e-9);
  EXPECT_EQ(t.s.seconds().size(), 4u);
}

// Ticks of one process never go backwards; when the process id names
// another process, the seconds around the drop have no value.
TEST(ClientCpuSeries, TicksGoingBackwardsGiveNoValue) {
  Series t;
  t.read(0, 100);
  t.read(500, 150);
  t.read(1500, 50);  // boundary 1 lies in the drop
  t.read(2000, 70);
  t.read(3000, 90);
  EXPECT_FALSE(t.ticks(0));
  EXPECT_FALSE(t.ticks(1));
  EXPECT_NEAR(*t.ticks(2), 20, 1e-9);

  Series lower_at_end;
  lower_at_end.read(0, 100);
  lower_at_end.read(1000, 200);
  lower_at_end.read(2000, 150);  // boundary 2 reads less than boundary 1
  EXPECT_NEAR(*lower_at_end.ticks(0), 100, 1e-9);
  EXPECT_FALSE(lower_at_end.ticks(1));
}

// poll reads /proc at its first call, then once a boundary has passed: a
// late poll still gives the boundary a value, and a poll past several
// boundaries reads once for all of them.
TEST(ClientCpuSeries, PollReadsOnceABoundaryPassed) {
  using namespace std::chrono_literals;
  const auto start = std::chrono::steady_clock::now();
  CpuSeries s(0, start);
  s.poll(start - 10ms);  // a reading before boundary 0
  s.poll(start - 5ms);
  EXPECT_EQ(s.readings(), 1u);
  EXPECT_EQ(s.next_due(), start);
  s.poll(start + 1ms);
  s.poll(start + 500ms);  // boundary 0 is read already
  EXPECT_EQ(s.readings(), 2u);
  EXPECT_EQ(s.next_due(), start + 1s);
  s.poll(start + 1s + 2ms);
  s.poll(start + 2s + 300ms);  // late for boundary 2
  s.poll(start + 4s + 100ms);  // past boundaries 3 and 4
  EXPECT_EQ(s.readings(), 5u);
  EXPECT_EQ(s.next_due(), start + 5s);
  for (std::size_t k = 0; k < 4; ++k) {
    ASSERT_TRUE(s.second(k)) << k;
    EXPECT_GE(*s.second(k), 0.0);
  }
  EXPECT_FALSE(s.second(4));
  EXPECT_EQ(s.seconds().size(), 4u);
}

// A process that is gone gives no reading, and is not read again before the
// next boundary.
TEST(ClientCpuSeries, PollOfAProcessGoneRecordsNothing) {
  using namespace std::chrono_literals;
  const auto start = std::chrono::steady_clock::now();
  CpuSeries s(0x7ffffff0, start);  // no such process
  s.poll(start + 1ms);
  EXPECT_EQ(s.readings(), 0u);
  EXPECT_EQ(s.next_due(), start + 1s);
  EXPECT_FALSE(s.second(0));
  EXPECT_TRUE(s.seconds().empty());
  EXPECT_TRUE(process_cpu_ticks(0));
  EXPECT_FALSE(process_cpu_ticks(0x7ffffff0));
}

}  // namespace
