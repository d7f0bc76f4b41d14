// corobench's verdict on what limited a run, from the real binary: a slow
// server names the server, a generator starved of CPU names itself, an open
// loop whose connections wait for slow answers counts its late sends and
// names its own schedule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <thread>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/process.hpp"

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

// While alive, this thread and every process started from it run on CPU 0
// only, and a spinning thread keeps CPU 0 busy: a child started now is
// always either running or waiting for its core.
class CrowdedCpuZero {
 public:
  CrowdedCpuZero() {
    sched_getaffinity(0, sizeof saved_, &saved_);
    pin_to_cpu_zero();
    spinner_ = std::thread([this] {
      pin_to_cpu_zero();
      while (!stop_.load(std::memory_order_relaxed)) {
      }
    });
  }
  ~CrowdedCpuZero() {
    stop_ = true;
    spinner_.join();
    sched_setaffinity(0, sizeof saved_, &saved_);
  }

 private:
  static void pin_to_cpu_zero() {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
  }
  cpu_set_t saved_{};
  std::atomic<bool> stop_{false};
  std::thread spinner_;
};

// coroserve has the other cores; corobench shares CPU 0 with a spinning
// thread, so its one thread is runnable all the time and does half the
// work it could: the verdict must name the generator (or both).
TEST(ClientVerdict, AGeneratorStarvedOfCpuNamesItself) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "needs a second core";
  coroserve::test::ServerProcess server(COROSERVE_BINARY);
  const std::string pid = std::to_string(server.process().pid());
  Bench b = [&] {
    CrowdedCpuZero crowd;
    return corobench(
        {"-c", "16", "-t", "1", "-d", "1s", "--server-pid", pid, server.base_url() + "/plaintext"});
  }();
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto& v = b.result.at("bottleneck").as_object();
  const std::string limit(v.at("limit").as_string());
  EXPECT_TRUE(limit == "generator" || limit == "both") << v.at("why").as_string();
  EXPECT_GE(v.at("generator_cpu").at("busiest_thread_runnable").to_number<double>(), 0.9)
      << v.at("why").as_string();
  if (limit == "generator") {
    EXPECT_THAT(std::string(v.at("why").as_string()), HasSubstr("add threads (-t)"));
  }
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
