// The real coroserve binary: flags, environment variables, --help, and a
// SIGTERM during a request in flight (the response completes, exit 0).
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(ServerProcess, SigtermDrainsTheRequestInFlightAndExitsZero) {
  ServerProcess server(COROSERVE_BINARY);
  RawClient c(server.port());
  c.send(get_request("/io/sleep?ms=500"));
  std::this_thread::sleep_for(100ms);
  server.process().send_signal(SIGTERM);
  auto r = c.read_response(10s);
  ASSERT_TRUE(r) << server.stderr_text();
  EXPECT_EQ(r->result(), http::status::ok);
  EXPECT_THAT(r->body(), HasSubstr("slept_us"));
  EXPECT_EQ((*r)[http::field::connection], "close");
  auto status = server.process().wait_for(10s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->success()) << status->describe() << "\n" << server.stderr_text();
  EXPECT_THAT(server.stderr_text(), HasSubstr("SIGTERM: draining"));
}

TEST(ServerProcess, SigintStopsAnIdleServer) {
  ServerProcess server(COROSERVE_BINARY);
  server.process().send_signal(SIGINT);
  auto status = server.process().wait_for(10s);
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->success()) << status->describe();
}

TEST(ServerProcess, EnvironmentVariablesSetOptions) {
  TempDir dir;
  auto proc = Process::spawn({{COROSERVE_BINARY},
                              {"COROSERVE_HOST=127.0.0.1", "COROSERVE_PORT=0",
                               "COROSERVE_PORT_FILE=" + dir.file("port"), "COROSERVE_WORKERS=3"},
                              dir.file("out"),
                              dir.file("err")});
  auto port = wait_for_port_file(dir.file("port"), 10s, &proc);
  ASSERT_TRUE(port) << read_file(dir.file("err"));
  auto info = http_get(*port, "/");
  EXPECT_THAT(info.body(), HasSubstr("\"workers\":3"));
  EXPECT_TRUE(proc.stop().success());
}

TEST(ServerProcess, HelpListsEveryOptionAndBadFlagsFail) {
  auto help = run_capture({COROSERVE_BINARY, "--help"}, 10s);
  EXPECT_TRUE(help.status.success());
  for (const char* flag :
       {"--host", "--port", "--workers", "--queue", "--worker-nice", "--cpu-on-loop",
        "--max-connections", "--max-header-bytes", "--max-url-bytes", "--max-body-bytes",
        "--header-timeout-ms", "--body-timeout-ms", "--idle-timeout-ms", "--write-timeout-ms",
        "--drain-timeout-ms", "--log-level", "--access-log", "COROSERVE_PORT"}) {
    EXPECT_THAT(help.out, HasSubstr(flag));
  }
  auto bad = run_capture({COROSERVE_BINARY, "--workers", "-3"}, 10s);
  EXPECT_FALSE(bad.status.success());
  auto unknown = run_capture({COROSERVE_BINARY, "--no-such-flag"}, 10s);
  EXPECT_FALSE(unknown.status.success());
}

TEST(ServerProcess, PortInUseFailsWithAClearMessage) {
  ServerProcess first(COROSERVE_BINARY);
  auto second = run_capture(
      {COROSERVE_BINARY, "--host", "127.0.0.1", "--port", std::to_string(first.port())}, 10s);
  EXPECT_FALSE(second.status.success());
  EXPECT_THAT(second.err, HasSubstr("ddress already in use"));
}

}  // namespace
}  // namespace coroserve::test
