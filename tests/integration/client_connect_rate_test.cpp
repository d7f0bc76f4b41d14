// corobench --connect-rate from the real binary: new connections are paced
// over the whole run. Checked on counts (what the server accepted), never on
// timings: a loaded machine only makes fewer connections.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::corobench_raw;
using corobench::test::u;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ClientConnectRate, KeepaliveConnectionsRampUpAtTheRate) {
  FakeHttpServer srv({});
  // 20 connections at 10 a second over a 1 s run: the turns fall at 0, 100,
  // ..., 900 ms, so at most 10 ever open (without the flag all 20 would).
  const Bench b = corobench({"-c", "20", "-t", "2", "--connect-rate", "10", "-d", "1s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto opened = u(b.result.at("connections_opened"));
  EXPECT_GE(opened, 1u);
  EXPECT_LE(opened, 10u);
  EXPECT_EQ(srv.served_connections(), opened);
  EXPECT_GT(u(b.result.at("responses")), opened);  // the open ones are kept and reused
  EXPECT_EQ(b.result.at("config").at("connect_rate").to_number<double>(), 10.0);
  EXPECT_THAT(b.run.out, HasSubstr(" opened, at most 10/s (--connect-rate)"));
  EXPECT_EQ(u(b.result.at("phases_us").at("connect").at("count")), opened);
}

TEST(ClientConnectRate, WithoutKeepaliveEveryConnectionIsPaced) {
  FakeHttpServer srv({});
  const Bench b = corobench(
      {"-c", "4", "-t", "1", "--no-keepalive", "--connect-rate", "20", "-d", "1s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto opened = u(b.result.at("connections_opened"));
  EXPECT_GE(opened, 1u);
  EXPECT_LE(opened, 20u);
  EXPECT_EQ(srv.served_connections(), opened);
  EXPECT_EQ(u(b.result.at("responses")), opened);  // one request per connection
}

TEST(ClientConnectRate, BadRatesAreUsageErrors) {
  for (const char* bad : {"0", "-5", "abc"}) {
    const auto r = corobench_raw({"--connect-rate", bad, "-n", "1", "http://127.0.0.1:1/"}, 10s);
    EXPECT_EQ(r.status.code, 2) << bad << "\n" << why(r);
    EXPECT_THAT(r.err, HasSubstr("--connect-rate")) << bad;
  }
}

}  // namespace
