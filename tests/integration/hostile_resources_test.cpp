// Resource exhaustion: the real binary at its file-descriptor limit (EMFILE)
// backs off instead of spinning, keeps serving the connections it holds and
// recovers when descriptors free up; a body declared too large is refused
// before a byte of it is read.
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;

// utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14, 15).
long cpu_ticks(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  // The command name (field 2) may hold spaces: count fields after its ')'.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

int open_fds(pid_t pid) {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

#if defined(__SANITIZE_ADDRESS__)
// UBSan's vptr check tests whether memory is readable by writing it into a
// pipe(); at EMFILE the pipe cannot be made, every check fails ("invalid
// vptr", "memory cannot be printed") and the fatal-UBSan build aborts. That
// is the sanitizer, not the server, so the sanitized builds skip this test.
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

TEST(ResourceExhaustion, AtTheFdLimitTheAcceptLoopBacksOffAndRecovers) {
  if (kSanitized) GTEST_SKIP() << "UBSan's vptr check needs free descriptors";
  constexpr int kFdLimit = 64;
  constexpr int kClients = 150;  // well past what 64 descriptors can hold
  TempDir dir("coroserve-emfile");
  // The limit is set by a shell that then becomes the server, so only the
  // server runs with it.
  Process proc = Process::spawn(
      {{"/bin/sh", "-c", "ulimit -n " + std::to_string(kFdLimit) + " && exec \"$0\" \"$@\"",
        COROSERVE_BINARY, "--host", "127.0.0.1", "--port", "0", "--port-file", dir.file("port"),
        "--workers", "1", "--idle-timeout-ms", "30000", "--log-level", "warn"},
       {},
       dir.file("stdout.txt"),
       dir.file("stderr.txt")});
  const auto port = wait_for_port_file(dir.file("port"), 10s, &proc);
  ASSERT_TRUE(port) << read_file(dir.file("stderr.txt"));

  // Connections the kernel completes (the backlog is large) but the server
  // cannot accept once its descriptors are gone.
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < kClients; ++i) held.push_back(std::make_unique<RawClient>(*port));
  std::this_thread::sleep_for(1000ms);
  const int fds_at_limit = open_fds(proc.pid());

  // Spinning on EMFILE would burn a whole core; backing off costs nothing.
  const long before = cpu_ticks(proc.pid());
  std::this_thread::sleep_for(2000ms);
  const long spent = cpu_ticks(proc.pid()) - before;
  const long ticks_per_s = ::sysconf(_SC_CLK_TCK);

  // A connection accepted before the limit is still served.
  ASSERT_TRUE(plaintext_served(*held.front(), 5s))
      << "an accepted connection is no longer served at the fd limit";
  EXPECT_TRUE(proc.running());

  // Free the descriptors: the server accepts again (the backlog first).
  held.clear();
  const auto start = Clock::now();
  const auto served_on_a_new_connection = [&] {
    try {
      RawClient c(*port);
      return static_cast<bool>(plaintext_served(c, 2s));
    } catch (const std::exception&) {
      return false;  // refused or reset while the server catches up
    }
  };
  const auto recovered =
      wait_until(served_on_a_new_connection, 15s, "a new connection served after the fd limit");
  const double recovery_ms = ms_since(start);
  const std::string err = read_file(dir.file("stderr.txt"));
  std::cout << "[ figures  ] fd limit " << kFdLimit << ": " << fds_at_limit
            << " fds open at the limit, " << spent << " CPU ticks (of " << 2 * ticks_per_s
            << " possible) in 2 s while " << kClients << " connections waited, served again after "
            << recovery_ms << " ms\n";
  EXPECT_TRUE(recovered) << err;
  EXPECT_NE(err.find("pausing accepts"), std::string::npos) << "no EMFILE back-off logged:\n"
                                                            << err;
  EXPECT_LT(spent, ticks_per_s / 2) << "the accept loop spins at EMFILE";
  EXPECT_TRUE(proc.stop(10s).success());
}

// --max-connections answered with 503 for a burst of newcomers, while the
// ones held are undisturbed and the loop does not spin.
TEST(ResourceExhaustion, BurstPastMaxConnectionsGets503AndTheHeldOnesAreServed) {
  Config cfg = test_config();
  cfg.max_connections = 20;
  TestServer server(cfg);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 20; ++i) {
    held.push_back(std::make_unique<RawClient>(server.port()));
    ASSERT_TRUE(plaintext_served(*held.back()));
  }
  int refused = 0;
  for (int i = 0; i < 300; ++i) {
    RawClient extra(server.port());
    if (extra.read_until_close(5s).find(" 503 ") != std::string::npos) ++refused;
  }
  EXPECT_EQ(refused, 300);
  for (auto& c : held) ASSERT_TRUE(plaintext_served(*c));
}

// 413 comes from the declared length alone: the answer arrives while the
// client has not sent a single body byte, so nothing of the body is read.
TEST(ResourceExhaustion, HugeDeclaredBodiesGet413BeforeAnyBodyByte) {
  TestServer server;  // --max-body-bytes 1 MiB
  for (const std::string head :
       {"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000000000\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nffffffffff\r\n"}) {
    RawClient c(server.port());
    c.send(head);
    auto r = c.read_response(5s);  // no body byte ever comes
    ASSERT_TRUE(r) << head << ": no answer without the body";
    EXPECT_EQ(r->result_int(), 413u) << head;
    EXPECT_TRUE(c.closed_by_server());
  }
  expect_serving(server.port());
}

}  // namespace
}  // namespace coroserve::test
