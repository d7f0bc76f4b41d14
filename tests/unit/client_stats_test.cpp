#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "client/report_json.hpp"
#include "client/request_counts.hpp"
#include "client/stats.hpp"

namespace {

using namespace corobench;

TEST(ClientStats, StatusClasses) {
  EXPECT_EQ(other_class_name(other_class(101)), "1xx");
  EXPECT_EQ(other_class_name(other_class(302)), "3xx");
  EXPECT_EQ(other_class_name(other_class(429)), "4xx");
  EXPECT_EQ(other_class_name(other_class(503)), "5xx");
  EXPECT_EQ(other_class_name(other_class(0)), "other");
  EXPECT_EQ(other_class_name(other_class(999)), "other");
}

// 99 answers of 10 ms and, beside them, many 503s of 0.2 ms: the p99 of
// work done stays 10 ms; the 503s have a histogram of their own.
TEST(ClientStats, AFastRejectionNeverImprovesThePercentilesOfWorkDone) {
  std::vector<RequestTemplate> requests(1);
  PipelineWindow window(requests, 1);
  WeightedPicker picker({1});
  ThreadStats stats(0);
  LiveCounters live;
  TimeSeries series;
  RequestCounts counts(stats, live, series);
  window.fill(1, picker, true);
  for (int i = 0; i < 99; ++i) counts.answered(window, 0, 200, 100, 10'000'000, Clock::now());
  for (int i = 0; i < 1000; ++i) counts.answered(window, 0, 503, 100, 200'000, Clock::now());
  counts.failed(window, 0, ErrorKind::timeout, 5'000'000'000);
  const LineStats& t = stats.total;
  EXPECT_EQ(t.latency.count(), 99u);
  EXPECT_GE(t.latency.percentile(99), 10'000'000);
  EXPECT_GE(t.latency.min(), 10'000'000);
  ASSERT_NE(t.other_latency[other_class(503)].get(), nullptr);
  EXPECT_EQ(t.other_latency[other_class(503)].count(), 1000u);
  EXPECT_EQ(t.other_latency[other_class(404)].get(), nullptr);  // none, no memory
  EXPECT_EQ(t.error_latency.count(), 1u);
  EXPECT_EQ(t.ok_total(), 99u);
  EXPECT_EQ(t.responses, 1099u);
}

TEST(ClientStats, MergeAndCopyKeepEveryOutcome) {
  LineStats a, b;
  a.record_answer(200, 1000);
  b.record_answer(503, 2000);
  b.error_latency.record(3000);
  a.merge(b);
  const LineStats c = a;  // a deep copy
  a.other_latency[other_class(503)].record(4000);
  EXPECT_EQ(c.latency.count(), 1u);
  EXPECT_EQ(c.other_latency[other_class(503)].count(), 1u);
  EXPECT_EQ(a.other_latency[other_class(503)].count(), 2u);
  EXPECT_EQ(c.error_latency.count(), 1u);
}

TEST(ClientStats, JsonHasOnlyTheOutcomesThatOccurred) {
  RunResult r;
  r.plan.requests.push_back({});
  r.elapsed_s = 2;
  auto& t = r.stats.total;
  t.responses = 3;
  t.status[200] = 2;
  t.status[503] = 1;
  t.record_answer(200, 1'000'000);
  t.record_answer(200, 1'000'000);
  t.record_answer(503, 100'000);
  const auto v = boost::json::parse(boost::json::serialize(to_json(r))).as_object();
  EXPECT_EQ(v.at("schema").to_number<int>(), kJsonSchema);
  EXPECT_DOUBLE_EQ(v.at("goodput_per_s").to_number<double>(), 1.0);
  EXPECT_DOUBLE_EQ(v.at("requests_per_s").to_number<double>(), 1.5);
  const auto& by = v.at("latency_by_outcome_us").as_object();
  EXPECT_EQ(by.size(), 1u);
  EXPECT_EQ(by.at("5xx").at("count").to_number<int>(), 1);
  EXPECT_EQ(v.at("latency_us").at("count").to_number<int>(), 2);
}

}  // namespace
