// --reuse-port: two real coroserve processes on one port. The kernel spreads
// new connections across both, /metrics tells them apart by pid, and one
// draining leaves the other serving alone.
#include <boost/json.hpp>

#include <signal.h>

#include <csignal>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// The pid of the process that answered GET /stats on a new connection.
std::int64_t answering_pid(std::uint16_t port) {
  const auto r = http_get(port, "/stats");
  return boost::json::parse(r.body()).at("pid").as_int64();
}

// The pids that answered `n` new connections.
std::set<std::int64_t> answering_pids(std::uint16_t port, int n) {
  std::set<std::int64_t> pids;
  for (int i = 0; i < n; ++i) pids.insert(answering_pid(port));
  return pids;
}

// A second coroserve on `port` of the first, both with --reuse-port.
struct TwoProcesses {
  ServerProcess first{COROSERVE_BINARY, {"--reuse-port"}, 1};
  TempDir dir{"coroserve-second"};
  Process second =
      Process::spawn({{COROSERVE_BINARY, "--reuse-port", "--workers", "1"},
                      {"COROSERVE_HOST=127.0.0.1", "COROSERVE_PORT=" + std::to_string(first.port()),
                       "COROSERVE_PORT_FILE=" + dir.file("port")},
                      dir.file("out"),
                      dir.file("err")});
  bool second_up() { return wait_for_port_file(dir.file("port"), 10s, &second).has_value(); }
};

TEST(ReusePort, TwoProcessesShareThePortAndBothAnswer) {
  TwoProcesses p;
  ASSERT_TRUE(p.second_up()) << read_file(p.dir.file("err"));
  // 64 connections from distinct source ports: the kernel's hash sends all
  // of them to one process with a chance of 2^-63.
  const auto pids = answering_pids(p.first.port(), 64);
  EXPECT_EQ(pids, (std::set<std::int64_t>{p.first.process().pid(), p.second.pid()}));
}

TEST(ReusePort, MetricsCarryThePidOfTheProcessThatAnswered) {
  ServerProcess server(COROSERVE_BINARY, {"--reuse-port"}, 1);
  const auto metrics = http_get(server.port(), "/metrics").body();
  const std::string label = "pid=\"" + std::to_string(server.process().pid()) + "\"";
  EXPECT_THAT(metrics, HasSubstr("coroserve_uptime_seconds{" + label + "}"));
  EXPECT_THAT(metrics, HasSubstr("," + label + "}")) << "labelled series keep their labels too";
}

TEST(ReusePort, WithoutTheFlagNoPidLabel) {
  ServerProcess server(COROSERVE_BINARY, {}, 1);
  EXPECT_THAT(http_get(server.port(), "/metrics").body(), ::testing::Not(HasSubstr("pid=\"")));
}

TEST(ReusePort, OneProcessDrainsAndTheOtherServesAlone) {
  TwoProcesses p;
  ASSERT_TRUE(p.second_up()) << read_file(p.dir.file("err"));
  const auto port = p.first.port();
  const auto drained = p.first.stop();
  EXPECT_TRUE(drained.success()) << drained.describe() << "\n" << p.first.stderr_text();
  EXPECT_EQ(answering_pids(port, 16), (std::set<std::int64_t>{p.second.pid()}));
  EXPECT_TRUE(p.second.stop().success()) << read_file(p.dir.file("err"));
}

// The image's launcher: N processes on one port, signals forwarded, one
// exit status. No admin ports: the port after a free one may be taken.
struct Launcher {
  explicit Launcher(std::uint16_t port)
      : port(port),
        proc(Process::spawn({{COROSERVE_PROCESSES_SCRIPT, "2", "--host", "127.0.0.1", "--port",
                              std::to_string(port)},
                             {std::string("COROSERVE_BINARY=") + COROSERVE_BINARY},
                             dir.file("out"),
                             dir.file("err")})) {}
  std::string err() const { return read_file(dir.file("err")); }
  std::uint16_t port;
  TempDir dir{"coroserve-processes"};
  Process proc;
};

TEST(ReusePort, LauncherStartsTwoProcessesAndStopsBothOnSigterm) {
  Launcher l(unused_port());
  std::set<std::int64_t> pids;
  // Both processes bind on their own time: ask until both have answered.
  for (int i = 0; i < 200 && pids.size() < 2 && l.proc.running(); ++i) {
    try {
      pids.merge(answering_pids(l.port, 16));
    } catch (const std::exception&) {
      std::this_thread::sleep_for(50ms);
    }
  }
  ASSERT_EQ(pids.size(), 2u) << "processes that answered; launcher stderr:\n" << l.err();
  l.proc.send_signal(SIGTERM);
  const auto status = l.proc.wait_for(15s);
  ASSERT_TRUE(status) << "the launcher did not exit within 15 s of SIGTERM\n" << l.err();
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << l.err();
  for (auto pid : pids) EXPECT_NE(::kill(static_cast<pid_t>(pid), 0), 0) << pid << " still runs";
}

TEST(ReusePort, LauncherEndsWithTheFirstFailure) {
  ServerProcess squatter(COROSERVE_BINARY, {}, 1);  // holds the port without --reuse-port
  Launcher l(squatter.port());
  const auto status = l.proc.wait_for(15s);
  ASSERT_TRUE(status) << "the launcher kept running with a process that could not bind\n"
                      << l.err();
  EXPECT_FALSE(status->success());
  EXPECT_THAT(l.err(), HasSubstr("ddress already in use"));
}

TEST(ReusePort, LauncherRefusesABadCount) {
  const auto r = run_capture({COROSERVE_PROCESSES_SCRIPT, "zero"}, 10s);
  EXPECT_EQ(r.status.code, 2) << r.status.describe();
  EXPECT_THAT(r.err, HasSubstr("usage: coroserve-processes N"));
}

}  // namespace
}  // namespace coroserve::test
