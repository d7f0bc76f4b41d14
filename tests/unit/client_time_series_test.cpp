// The second-by-second series: requests land in the second they ended in,
// warmup apart, and the JSON reads back as it was written.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "client/time_series.hpp"
#include "client/time_series_report.hpp"

namespace {

using namespace corobench;
using namespace std::chrono_literals;

TEST(ClientTimeSeries, SecondLatencyIsWithinOneSixteenth) {
  SecondLatency h;
  for (std::int64_t v = 1; v <= 1000; ++v) h.record(v * 1000);  // 1..1000 us
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(h.max(), 1'000'000);
  const double p50 = static_cast<double>(h.percentile(50));
  const double p99 = static_cast<double>(h.percentile(99));
  EXPECT_GE(p50, 500'000);
  EXPECT_LE(p50, 500'000 * (1 + 1.0 / 16));
  EXPECT_GE(p99, 990'000);
  EXPECT_LE(p99, 1'000'000);
  for (std::int64_t v : {0LL, 15LL, 16LL, 1000LL, 123456789LL, 1LL << 50}) {
    const std::size_t i = SecondLatency::index_of(v);
    ASSERT_LT(i, SecondLatency::kBuckets) << v;
    if (v < (1LL << 43)) {
      EXPECT_GE(SecondLatency::upper_bound(i), v) << v;
    }
  }
}

TEST(ClientTimeSeries, RequestsLandInTheirSecondAndWarmupStaysApart) {
  const Clock::time_point base = Clock::now();
  TimeSeries s;
  s.start(base, 1500ms, 5s);
  EXPECT_EQ(s.warmup_seconds(), 2u);
  s.opened(base - 1400ms);
  s.answered(base - 1200ms, false, 200, 1000);
  s.answered(base + 100ms, false, 200, 1000);  // a warmup request answered late
  s.answered(base + 200ms, true, 200, 2000);
  s.answered(base + 300ms, true, 503, 500);
  s.failed(base + 2500ms, true, ErrorKind::timeout, 2);
  TimeSeries merged;
  merged.merge(s);
  merged.merge(s);
  ASSERT_EQ(merged.seconds().size(), 5u);  // -2, -1, 0, 1, 2
  EXPECT_EQ(merged.seconds()[0].ok, 2u);
  EXPECT_EQ(merged.seconds()[1].ok, 2u);
  EXPECT_EQ(merged.seconds()[2].ok, 2u);
  EXPECT_EQ(merged.seconds()[2].other, 2u);
  EXPECT_EQ(merged.seconds()[3].open, 2u);  // no event, the connections still open
  EXPECT_EQ(merged.seconds()[4].errors[static_cast<std::size_t>(ErrorKind::timeout)], 4u);

  const auto points = series_points(merged, 1.5, 2.6);
  ASSERT_EQ(points.size(), 5u);
  EXPECT_TRUE(points[0].warmup);
  EXPECT_DOUBLE_EQ(points[0].t_s, -2);
  EXPECT_NEAR(points[0].duration_s, 0.5, 1e-9);
  EXPECT_FALSE(points[2].warmup);
  EXPECT_TRUE(points[2].whole());
  EXPECT_NEAR(points[4].duration_s, 0.6, 1e-9);
  EXPECT_FALSE(points[4].whole());
  EXPECT_TRUE(std::isnan(points[3].p99_us));
  EXPECT_NEAR(points[2].p99_us, 2.0, 2.0 / 16);
}

TEST(ClientTimeSeries, JsonReadsBackAsWritten) {
  SeriesPoint p;
  p.t_s = 3;
  p.ok = 10;
  p.other = 2;
  p.errors[static_cast<std::size_t>(ErrorKind::read)] = 1;
  p.p50_us = 100;
  p.p99_us = 900;
  p.max_us = 1000;
  p.connections = 4;
  p.generator_cpu_s = 0.25;
  p.server_cpu_s = 0.5;
  SeriesPoint empty;
  empty.t_s = 4;
  const boost::json::object j = series_json({p, empty});
  const auto back = series_from_json(boost::json::parse(boost::json::serialize(j)).as_object());
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].responses(), 12u);
  EXPECT_EQ(back[0].ok, 10u);
  EXPECT_EQ(back[0].error_total(), 1u);
  EXPECT_DOUBLE_EQ(back[0].p99_us, 900);
  EXPECT_EQ(back[0].connections, 4u);
  EXPECT_DOUBLE_EQ(back[0].generator_cpu_s, 0.25);
  EXPECT_DOUBLE_EQ(back[0].server_us_per_response(), 0.5e6 / 12);
  EXPECT_TRUE(std::isnan(back[1].p50_us));
  EXPECT_TRUE(std::isnan(back[1].server_cpu_s));
  EXPECT_TRUE(std::isnan(back[1].server_us_per_response()));  // and no answers
  EXPECT_THROW(series_from_json(boost::json::object{}), std::invalid_argument);
  // Results written before CPU was read second by second have no "cpu_s".
  boost::json::object old = series_json({p});
  old["samples"].as_array()[0].as_object().erase("cpu_s");
  EXPECT_TRUE(std::isnan(series_from_json(old)[0].generator_cpu_s));
}

// A run's CPU seconds go to its whole measured seconds, none to warmup or
// to the last, partial second.
TEST(ClientTimeSeries, CpuSecondsGoToTheWholeMeasuredSeconds) {
  RunResult r;
  r.plan.warmup = 1s;
  r.elapsed_s = 2.5;
  r.series.start(Clock::now(), 1s, 3s);
  r.series.failed(Clock::now() + 2200ms, true, ErrorKind::read, 1);  // seconds -1 to 2
  r.generator_cpu_seconds = {0.1, 0.2};
  r.server_cpu_seconds = {0.7, std::nan("")};
  const auto points = series_points(r);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_TRUE(std::isnan(points[0].server_cpu_s));  // warmup
  EXPECT_DOUBLE_EQ(points[1].server_cpu_s, 0.7);
  EXPECT_DOUBLE_EQ(points[2].generator_cpu_s, 0.2);
  EXPECT_TRUE(std::isnan(points[2].server_cpu_s));     // not read in time
  EXPECT_TRUE(std::isnan(points[3].generator_cpu_s));  // partial
}

}  // namespace
