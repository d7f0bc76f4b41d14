// The verdict on what limited a run, on injected CPU samples, and the /proc
// reading it is fed from.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "client/cpu_sample.hpp"
#include "client/verdict.hpp"
#include "tests/support/wait.hpp"

namespace {

using namespace corobench;
using ::testing::HasSubstr;

CpuUse use(double cores, double busiest) {
  return {cores, busiest, cores * 10};
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

TEST(ClientVerdict, ASaturatedServerNamesTheServer) {
  // By its busiest thread (the loop), or by all its threads filling the
  // machine's cores (the pool), with the generator idle beside it.
  EXPECT_EQ(judge(closed(use(0.1, 0.1), use(1.0, 0.95))).limit, Limit::server);
  const Verdict pool = judge(closed(use(0.1, 0.05), use(1.9, 0.6), 2));
  EXPECT_EQ(pool.limit, Limit::server);
  EXPECT_THAT(pool.why, HasSubstr("its CPU was saturated"));
}

TEST(ClientVerdict, BothWhenBothSaturateOrTogetherFillTheMachine) {
  EXPECT_EQ(judge(closed(use(0.95, 0.95), use(0.97, 0.97))).limit, Limit::both);
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

TEST(ClientCpuSample, ABusyThreadOfThisProcessIsSeen) {
  const auto before = cpu_snapshot(0);
  ASSERT_TRUE(before);
  EXPECT_FALSE(before->ticks.empty());
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

}  // namespace
