// corobench --fail-on from the real binary: the exit status a CI job reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using ::testing::Not;
using namespace std::chrono_literals;

TEST(ClientFailOn, ACrossedThresholdExitsThreeAndSaysWhichAndByHowMuch) {
  FakeHttpServer srv({});
  // Every answer is a 503: more than 10% of the answers are not 2xx.
  const Bench b = corobench({"-c", "2", "-t", "1", "-n", "40", "--fail-on", "non2xx>10%,errors>0",
                             srv.url("/status/503")});
  EXPECT_TRUE(b.run.status.exited) << why(b);
  EXPECT_EQ(b.run.status.code, 3) << why(b);
  EXPECT_THAT(b.run.out,
              HasSubstr("Fail-on:      non2xx>10% crossed: non2xx = 100.00% (40 of 40)"));
  EXPECT_THAT(b.run.out, HasSubstr("errors>0 held: errors = 0"));
  EXPECT_THAT(b.run.err, HasSubstr("--fail-on threshold crossed: non2xx>10%"));
  EXPECT_THAT(b.run.err, Not(HasSubstr("errors>0")));
  // The results are written all the same.
  EXPECT_EQ(u(b.result.at("responses")), 40u);
}

TEST(ClientFailOn, ThresholdsThatHoldExitZero) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "2", "-t", "1", "-n", "40", "--fail-on", "p99>10s,errors>0",
                             "--fail-on", "non2xx>0,rps<1", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_THAT(b.run.out, HasSubstr("p99>10s held: p99 = "));
  EXPECT_THAT(b.run.out, HasSubstr("rps<1 held: rps = "));
  EXPECT_EQ(b.run.err, "");
}

TEST(ClientFailOn, AMalformedThresholdIsAUsageErrorBeforeAnyRun) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-n", "10", "--fail-on", "p99>50", srv.url()}, 10s);
  EXPECT_EQ(b.run.status.code, 2) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("invalid --fail-on threshold 'p99>50': a latency needs a unit"));
  EXPECT_EQ(srv.requests(), 0u);
}

}  // namespace
