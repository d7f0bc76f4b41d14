// corobench's verdict on what limited a run, from the real binary: a slow
// server names the server, a generator that never waits names itself, and an
// open loop whose connections wait for slow answers counts its late sends
// and names its own schedule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::u;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

// The server is this test process: its pid is the one to read.
TEST(ClientVerdict, ASlowServerIsNamedWithBothCpusReported) {
  FakeHttpServer srv({.delay = 20ms});
  const Bench b = corobench(
      {"-c", "2", "-t", "1", "-d", "1s", "--server-pid", std::to_string(::getpid()), srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto& v = b.result.at("bottleneck").as_object();
  EXPECT_EQ(v.at("limit").as_string(), "server") << v.at("why").as_string();
  EXPECT_THAT(std::string(v.at("why").as_string()), HasSubstr("response time"));
  for (const char* who : {"generator_cpu", "server_cpu"}) {
    const auto& cpu = v.at(who).as_object();
    EXPECT_GE(cpu.at("cores").to_number<double>(), cpu.at("busiest_thread").to_number<double>())
        << who;
    EXPECT_TRUE(cpu.at("us_per_request").is_double()) << who;
  }
  EXPECT_EQ(b.result.at("config").at("server_pid").as_int64(), ::getpid());
  EXPECT_THAT(b.run.out, HasSubstr("\nLimited by:   the server: "));
  EXPECT_THAT(b.run.out, HasSubstr("\nCPU/request:  corobench "));
}

// Answers that are already waiting cost the server next to nothing: the
// generator's one thread never waits, so it is what limited the run. Its
// thread counts as busy while runnable, so a shared core does not hide it.
TEST(ClientVerdict, AGeneratorThatNeverWaitsIsNamed) {
  FakeHttpServer srv({.answers_ahead = true});
  const Bench b = corobench(
      {"-c", "4", "-t", "1", "-d", "1s", "--server-pid", std::to_string(::getpid()), srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto& v = b.result.at("bottleneck").as_object();
  EXPECT_EQ(v.at("limit").as_string(), "generator") << v.at("why").as_string();
  const auto& mine = v.at("generator_cpu").as_object();
  EXPECT_GE(mine.at("busiest_thread_runnable").to_number<double>(), 0.9);
  // The advice follows how: a thread that filled its core wants company; one
  // that waited for a core on a busy machine would not be helped by more.
  const bool filled = mine.at("busiest_thread").to_number<double>() >= 0.9;
  EXPECT_THAT(std::string(v.at("why").as_string()),
              HasSubstr(filled ? "add threads" : "it waited for a core"));
  EXPECT_THAT(b.run.out, HasSubstr("\nLimited by:   the generator"));
}

TEST(ClientVerdict, AnOpenLoopWaitingOnSlowAnswersCountsLateSends) {
  // One connection, a send due every 20 ms, answers after 100 ms: almost
  // every send leaves late.
  FakeHttpServer srv({.delay = 100ms});
  const Bench b = corobench({"-c", "1", "-R", "50", "-d", "1s", "--timeout", "5s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto& v = b.result.at("bottleneck").as_object();
  EXPECT_GE(u(v.at("late_sends")), 5u);
  // 50 were due; one connection waiting 100 ms an answer sends at most ~10.
  EXPECT_EQ(u(b.result.at("requests")) + u(v.at("dropped_sends")), 50u);
  EXPECT_GE(u(v.at("dropped_sends")), 30u);
  EXPECT_TRUE(v.at("server_cpu").is_null());
  EXPECT_EQ(v.at("limit").as_string(), "generator") << v.at("why").as_string();
  EXPECT_THAT(std::string(v.at("why").as_string()), HasSubstr("add connections (-c)"));
  EXPECT_THAT(b.run.out, HasSubstr("\nLate sends:   "));
  EXPECT_THAT(b.run.out, HasSubstr(" dropped (due before the end, never sent)"));
}

TEST(ClientVerdict, AServerPidThatIsNoProcessIsAUsageError) {
  const Bench b = corobench({"--server-pid", "2147483600", "-n", "1", "http://127.0.0.1:1/"}, 10s);
  EXPECT_EQ(b.run.status.code, 2) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("--server-pid 2147483600: no such process"));
}

}  // namespace
