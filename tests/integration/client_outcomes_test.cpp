// corobench's latency by outcome, goodput and --bind, over real loopback TCP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/integration/client_peer_server.hpp"
#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/files.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::d;
using corobench::test::expect_counts_add_up;
using corobench::test::PeerServer;
using corobench::test::u;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using coroserve::test::TempDir;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ClientOutcomes, OtherStatusClassesHaveTheirOwnLatencyAndGoodputCountsOnly2xx) {
  FakeHttpServer srv({});
  TempDir dir;
  coroserve::test::write_file(dir.file("mix.txt"),
                              "2 GET /ok\n1 GET /status/503\n1 GET /status/404\n");
  const Bench b =
      corobench({"-c", "4", "-t", "1", "-n", "400", "--mix", dir.file("mix.txt"), srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  expect_counts_add_up(b.result);
  EXPECT_EQ(u(b.result.at("schema")), 3u);
  // The seconds add up to the run: answers by second, 2xx apart.
  std::uint64_t responses = 0, ok = 0;
  for (const auto& s : b.result.at("time_series").at("samples").as_array()) {
    responses += u(s.at("responses"));
    ok += u(s.at("status_2xx"));
  }
  EXPECT_EQ(responses, 400u);
  EXPECT_EQ(ok, 200u);
  EXPECT_EQ(u(b.result.at("latency_us").at("count")), 200u);
  const auto& by = b.result.at("latency_by_outcome_us").as_object();
  EXPECT_EQ(u(by.at("5xx").at("count")), 100u);
  EXPECT_EQ(u(by.at("4xx").at("count")), 100u);
  EXPECT_FALSE(by.contains("errors"));
  const double elapsed = d(b.result.at("elapsed_s"));
  EXPECT_NEAR(d(b.result.at("goodput_per_s")) * elapsed, 200.0, 0.01);
  EXPECT_NEAR(d(b.result.at("requests_per_s")) * elapsed, 400.0, 0.01);
  // The table has a row per outcome, 2xx first.
  EXPECT_THAT(b.run.out, HasSubstr("\n  2xx "));
  EXPECT_THAT(b.run.out, HasSubstr("\n  4xx "));
  EXPECT_THAT(b.run.out, HasSubstr("\n  5xx "));
  EXPECT_THAT(b.run.out, HasSubstr("2xx answers/s (50.0% of responses)"));
  // Each mix line's answers are in that line's histograms too.
  const auto& lines = b.result.at("per_line").as_array();
  EXPECT_EQ(u(lines[1].at("latency_by_outcome_us").at("5xx").at("count")), 100u);
  EXPECT_EQ(u(lines[1].at("latency_us").at("count")), 0u);
}

TEST(ClientOutcomes, ErrorsHaveTheirOwnLatency) {
  FakeHttpServer srv({.delay = 1000ms});
  const Bench b = corobench({"-c", "2", "-t", "1", "-n", "4", "--timeout", "100ms", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  expect_counts_add_up(b.result);
  const auto& errors = b.result.at("latency_by_outcome_us").at("errors");
  EXPECT_EQ(u(errors.at("count")), 4u);
  // Each timed out no earlier than its timeout.
  EXPECT_GE(d(errors.at("min")), 100'000.0);
  EXPECT_EQ(u(b.result.at("latency_us").at("count")), 0u);
  EXPECT_THAT(b.run.out, HasSubstr("\n  errors"));
}

TEST(ClientOutcomes, BindMakesEachRunAClientOfItsOwn) {
  PeerServer srv;
  for (const char* from : {"127.0.0.2", "127.0.0.3"}) {
    const Bench b = corobench({"--bind", from, "-c", "2", "-t", "1", "-n", "50", srv.url()});
    ASSERT_TRUE(b.run.status.success()) << why(b);
    EXPECT_EQ(b.result.at("config").at("bind").as_string(), from);
    EXPECT_THAT(b.run.out, HasSubstr(std::string("from ") + from));
  }
  const Bench plain = corobench({"--no-keepalive", "-c", "1", "-n", "5", srv.url()});
  ASSERT_TRUE(plain.run.status.success()) << why(plain);
  const auto peers = srv.requests_by_peer();
  EXPECT_EQ(peers.at("127.0.0.2"), 50u);
  EXPECT_EQ(peers.at("127.0.0.3"), 50u);
  EXPECT_EQ(peers.at("127.0.0.1"), 5u);
}

TEST(ClientOutcomes, BindWithoutKeepaliveKeepsEveryConnectionFromTheAddress) {
  PeerServer srv;
  const Bench b =
      corobench({"--bind", "127.0.0.4", "--no-keepalive", "-c", "4", "-n", "400", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("connections_opened")), 400u);
  EXPECT_EQ(srv.requests_by_peer().at("127.0.0.4"), 400u);
}

TEST(ClientOutcomes, BadBindAddressesAreUsageErrors) {
  FakeHttpServer srv({});
  struct Case {
    const char* bind;
    const char* says;
  };
  for (const Case& c : {Case{"not-an-address", "invalid --bind address 'not-an-address'"},
                        Case{"192.0.2.1", "--bind 192.0.2.1: cannot use this address"},
                        Case{"::1", "is an IPv6 address, but '127.0.0.1' has no IPv6 address"}}) {
    const Bench b = corobench({"--bind", c.bind, "-n", "1", srv.url()}, 10s);
    EXPECT_EQ(b.run.status.code, 2) << why(b);
    EXPECT_THAT(b.run.err, HasSubstr(c.says));
  }
  EXPECT_EQ(srv.requests(), 0u);
}

}  // namespace
