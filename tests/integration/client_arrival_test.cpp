// corobench --arrival from the real binary.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::corobench_raw;
using corobench::test::expect_counts_add_up;
using corobench::test::u;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ClientArrival, PoissonSendsAboutTheRateAndAccountsForEverySend) {
  FakeHttpServer srv({});
  const Bench b =
      corobench({"-c", "8", "-t", "1", "-R", "400", "--arrival", "poisson", "-d", "1s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(b.result.at("config").at("arrival").as_string(), "poisson");
  EXPECT_THAT(b.run.out, HasSubstr("open loop at 400 req/s (Poisson arrivals)"));
  expect_counts_add_up(b.result);
  // A Poisson count over 1 s at 400/s: stdev 20; 6 of them either side.
  const auto due = u(b.result.at("requests")) + u(b.result.at("bottleneck").at("dropped_sends"));
  EXPECT_NEAR(static_cast<double>(due), 400.0, 120.0);
  EXPECT_EQ(srv.requests(), u(b.result.at("requests")));
}

TEST(ClientArrival, NeedsAnOpenLoopAndAKnownModel) {
  const auto closed =
      corobench_raw({"--arrival", "poisson", "-n", "1", "http://127.0.0.1:1/"}, 10s);
  EXPECT_EQ(closed.status.code, 2) << why(closed);
  EXPECT_THAT(closed.err, HasSubstr("--arrival applies to the open loop only"));
  const auto unknown =
      corobench_raw({"--arrival", "bursty", "-R", "10", "-n", "1", "http://127.0.0.1:1/"}, 10s);
  EXPECT_EQ(unknown.status.code, 2) << why(unknown);
  EXPECT_THAT(unknown.err, HasSubstr("--arrival"));
}

}  // namespace
