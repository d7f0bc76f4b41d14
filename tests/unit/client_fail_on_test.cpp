// --fail-on: the parser of thresholds and their check against a run's
// figures, on made-up figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client/errors.hpp"
#include "client/fail_on.hpp"
#include "client/fail_on_check.hpp"

namespace {

using namespace corobench;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<Threshold> parse(const std::string& spec) {
  return parse_fail_on({spec});
}

std::string usage_error(const std::string& spec) {
  try {
    parse(spec);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ClientFailOn, ParsesLatencyInEachUnitAndCountsAndShares) {
  const auto ts = parse("p99>50ms, p50 > 800us,max>2s,errors>0.1%,non2xx>5,rps<1000");
  ASSERT_EQ(ts.size(), 6u);
  EXPECT_EQ(ts[0].metric, GateMetric::p99);
  EXPECT_TRUE(ts[0].above);
  EXPECT_DOUBLE_EQ(ts[0].limit, 50'000.0);  // µs
  EXPECT_EQ(ts[0].text, "p99>50ms");
  EXPECT_DOUBLE_EQ(ts[1].limit, 800.0);
  EXPECT_EQ(ts[1].text, "p50>800us");
  EXPECT_DOUBLE_EQ(ts[2].limit, 2e6);
  EXPECT_EQ(ts[3].metric, GateMetric::errors);
  EXPECT_TRUE(ts[3].percent);
  EXPECT_DOUBLE_EQ(ts[3].limit, 0.1);
  EXPECT_FALSE(ts[4].percent);
  EXPECT_DOUBLE_EQ(ts[4].limit, 5.0);
  EXPECT_EQ(ts[5].metric, GateMetric::rps);
  EXPECT_FALSE(ts[5].above);
}

TEST(ClientFailOn, RepeatedFlagsAddUpAndNamesHaveAliases) {
  const auto ts = parse_fail_on({"p999>1s", "p99.9>1s,late>1%", "dropped>0", "goodput<10"});
  ASSERT_EQ(ts.size(), 5u);
  EXPECT_EQ(ts[0].metric, GateMetric::p999);
  EXPECT_EQ(ts[1].metric, GateMetric::p999);
  EXPECT_EQ(ts[2].metric, GateMetric::late);
  EXPECT_EQ(ts[3].metric, GateMetric::dropped);
  EXPECT_EQ(ts[4].metric, GateMetric::goodput);
  EXPECT_TRUE(parse_fail_on({}).empty());
}

TEST(ClientFailOn, LateAndDroppedNeedAnOpenLoop) {
  const auto gates = parse("p99>5ms,late>1%");
  EXPECT_NO_THROW(check_schedule_gates(gates, true));
  EXPECT_NO_THROW(check_schedule_gates(parse("p99>5ms,errors>0"), false));
  try {
    check_schedule_gates(gates, false);
    ADD_FAILURE() << "a late threshold in a closed loop was accepted";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'late>1%' needs an open loop (-R)"));
  }
  EXPECT_THROW(check_schedule_gates(parse("dropped>0"), false), UsageError);
}

TEST(ClientFailOn, MalformedThresholdsAreUsageErrorsThatSayWhy) {
  EXPECT_THAT(usage_error("p99>50"), HasSubstr("a latency needs a unit"));
  EXPECT_THAT(usage_error("p99>50%"), HasSubstr("a latency needs a unit"));
  EXPECT_THAT(usage_error("p98>50ms"), HasSubstr("expected NAME>VALUE"));
  EXPECT_THAT(usage_error("p99=50ms"), HasSubstr("expected NAME>VALUE"));
  EXPECT_THAT(usage_error("errors>"), HasSubstr("must be a number"));
  EXPECT_THAT(usage_error("errors>-1"), HasSubstr("must be a number"));
  EXPECT_THAT(usage_error("errors>1x"), HasSubstr("unexpected 'x'"));
  EXPECT_THAT(usage_error("rps<10%"), HasSubstr("not a percent"));
  EXPECT_THAT(usage_error("p99>50ms,"), HasSubstr("an empty threshold"));
  EXPECT_THAT(usage_error("p99>50ms"), HasSubstr("no error"));
  EXPECT_THAT(usage_error("p99>50ms"), Not(HasSubstr("invalid")));
}

GateFigures figures() {
  GateFigures f;
  f.latency_us = {1'000.0, 5'000.0, 60'000.0, 90'000.0, 120'000.0};
  f.requests = 1000;
  f.responses = 996;
  f.errors = 4;
  f.non2xx = 10;
  f.late = 0;
  f.dropped = 0;
  f.rps = 990;
  f.goodput = 980;
  return f;
}

TEST(ClientFailOn, ChecksEachThresholdAgainstItsFigure) {
  const auto gates = check_thresholds(
      parse("p99>50ms,p50>2ms,errors>0.5%,errors>0.3%,non2xx>10,rps<1000,dropped>0"), figures());
  ASSERT_EQ(gates.size(), 7u);
  EXPECT_TRUE(gates[0].crossed);
  EXPECT_EQ(gates[0].actual, "p99 = 60.0ms");
  EXPECT_FALSE(gates[1].crossed);
  EXPECT_FALSE(gates[2].crossed);  // 0.40% of requests
  EXPECT_EQ(gates[2].actual, "errors = 0.40% (4 of 1000)");
  EXPECT_TRUE(gates[3].crossed);
  EXPECT_FALSE(gates[4].crossed);  // 10 is not above 10
  EXPECT_TRUE(gates[5].crossed);   // 990 answers/s is below 1000
  EXPECT_FALSE(gates[6].crossed);
  EXPECT_THAT(format_gates(gates), HasSubstr("Fail-on:      p99>50ms crossed: p99 = 60.0ms\n"));
  EXPECT_THAT(format_gates(gates), HasSubstr("              p50>2ms held: p50 = 1.00ms\n"));
}

TEST(ClientFailOn, ALatencyThresholdWithNothingMeasuredIsCrossed) {
  GateFigures f = figures();
  f.latency_us = {};
  const auto gates = check_thresholds(parse("p99>50ms"), f);
  ASSERT_EQ(gates.size(), 1u);
  EXPECT_TRUE(gates[0].crossed);
  EXPECT_THAT(gates[0].actual, HasSubstr("no 2xx answer"));
  EXPECT_EQ(format_gates({}), "");
}

}  // namespace
