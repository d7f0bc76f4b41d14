#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "client/demo.hpp"
#include "client/options.hpp"
#include "client/progress.hpp"
#include "client/report.hpp"
#include "client/svg_chart.hpp"

namespace {

using namespace corobench;
using ::testing::HasSubstr;

TEST(ClientReport, DurationsHaveThreeDigitsAndAFittingUnit) {
  EXPECT_EQ(format_duration_ns(31'200), "31.2us");
  EXPECT_EQ(format_duration_ns(110'000), "110us");
  EXPECT_EQ(format_duration_ns(999'700), "1.00ms");
  EXPECT_EQ(format_duration_ns(1'234'567), "1.23ms");
  EXPECT_EQ(format_duration_ns(2'500'000'000.0), "2.50s");
  EXPECT_EQ(format_duration_ns(500), "500ns");
}

RunResult sample_result() {
  LoadOptions o;
  o.url = "http://127.0.0.1:8080/plaintext";
  o.connections = 4;
  o.duration = "2s";
  RunResult r;
  r.plan = make_plan(o);
  r.elapsed_s = 2.0;
  auto& t = r.stats.total;
  t.requests = 1003;
  t.responses = 1000;
  t.status[200] = 990;
  t.status[404] = 10;
  t.errors[static_cast<std::size_t>(ErrorKind::timeout)] = 3;
  t.bytes_sent = 50'000;
  t.bytes_received = 120'000;
  for (int i = 1; i <= 1000; ++i) t.latency.record(i * 1000);
  r.stats.connections_opened = 4;
  return r;
}

TEST(ClientReport, JsonCarriesTheSchemaAndNumbers) {
  const RunResult r = sample_result();
  const auto v = boost::json::parse(boost::json::serialize(to_json(r))).as_object();
  EXPECT_EQ(v.at("requests").to_number<int>(), 1003);
  EXPECT_EQ(v.at("responses").to_number<int>(), 1000);
  EXPECT_EQ(v.at("errors").at("total").to_number<int>(), 3);
  EXPECT_EQ(v.at("errors").at("timeout").to_number<int>(), 3);
  EXPECT_EQ(v.at("errors").at("refused").to_number<int>(), 0);
  EXPECT_EQ(v.at("status").at("200").to_number<int>(), 990);
  EXPECT_EQ(v.at("status").at("404").to_number<int>(), 10);
  EXPECT_EQ(v.at("connections_opened").to_number<int>(), 4);
  EXPECT_DOUBLE_EQ(v.at("requests_per_s").to_number<double>(), 500.0);
  const auto& lat = v.at("latency_us").as_object();
  EXPECT_DOUBLE_EQ(lat.at("min").to_number<double>(), 1.0);
  EXPECT_DOUBLE_EQ(lat.at("max").to_number<double>(), 1000.0);
  EXPECT_NEAR(lat.at("p50").to_number<double>(), 500.0, 0.5);
  EXPECT_NEAR(lat.at("p99").to_number<double>(), 990.0, 1.0);
  for (const char* k : {"count", "mean", "stdev", "p75", "p90", "p99.9", "p99.99"}) {
    EXPECT_TRUE(lat.contains(k)) << k;
  }
  EXPECT_EQ(v.at("config").at("connections").to_number<int>(), 4);
  EXPECT_EQ(v.at("config").at("mode").as_string(), "closed");
  EXPECT_TRUE(v.at("config").at("rate").is_null());
  EXPECT_FALSE(v.contains("per_line"));
}

TEST(ClientReport, SummaryShowsTheSameNumbers) {
  const std::string s = format_summary(sample_result());
  EXPECT_THAT(s, HasSubstr("Requests:     1003 sent, 1000 responses, 3 errors\n"));
  EXPECT_THAT(s, HasSubstr("Requests/s:   500.00"));
  EXPECT_THAT(s, HasSubstr("Goodput:      495.00 2xx answers/s (99.0% of responses)\n"));
  EXPECT_THAT(s, HasSubstr("Status:       200=990 404=10\n"));
  EXPECT_THAT(s, HasSubstr("Errors:       timeout=3\n"));
  EXPECT_THAT(s, HasSubstr("Connections:  4 opened\n"));
  EXPECT_THAT(s, HasSubstr("500us"));  // p50
}

TEST(ClientReport, CsvHasHeaderAndEndsAt100) {
  const std::string csv = latency_csv(sample_result().stats.total.latency);
  EXPECT_TRUE(csv.starts_with("value_us,percentile,total_count,one_over_one_minus_percentile\n"));
  EXPECT_THAT(csv, HasSubstr("\n1000.000,100.000000,1000,\n"));
}

TEST(ClientReport, ProgressLineText) {
  EXPECT_EQ(ProgressLine::format(3.0, false, 1234.4, 5000, 2),
            "[   3.0s]       1234 req/s          5000 responses         2 errors");
  EXPECT_THAT(ProgressLine::format(0.5, true, 0, 0, 0), HasSubstr("warmup"));
}

TEST(ClientReport, ProgressModes) {
  EXPECT_EQ(parse_progress_mode("auto"), ProgressMode::automatic);
  EXPECT_EQ(parse_progress_mode("line"), ProgressMode::line);
  EXPECT_EQ(parse_progress_mode("lines"), ProgressMode::lines);
  EXPECT_EQ(parse_progress_mode("off"), ProgressMode::off);
  EXPECT_FALSE(parse_progress_mode("on"));
  EXPECT_EQ(resolve(ProgressMode::automatic, true), ProgressMode::line);
  EXPECT_EQ(resolve(ProgressMode::automatic, false), ProgressMode::off);
  EXPECT_EQ(resolve(ProgressMode::lines, false), ProgressMode::lines);
  EXPECT_EQ(resolve(ProgressMode::off, true), ProgressMode::off);
}

TEST(ClientReport, SvgChartIsWellFormedText) {
  BarChart c;
  c.title = "I/O <latency> & more";
  c.y_label = "ms";
  c.series = {"p50", "p99"};
  c.groups = {{"alone", {10.1, 11.0}}, {"loop", {30, 250}}};
  c.log_scale = true;
  const std::string svg = render_svg(c);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_THAT(svg, HasSubstr("I/O &lt;latency&gt; &amp; more"));
  EXPECT_THAT(svg, HasSubstr(">250<"));
  EXPECT_EQ(std::count(svg.begin(), svg.end(), '<'), std::count(svg.begin(), svg.end(), '>'));
}

TEST(ClientReport, DemoTable) {
  std::vector<DemoRow> rows = {{"I/O alone", "20 I/O", 1000, 10.2, 11.5, -1, 0},
                               {"CPU alone, 1 client", "1 CPU", -1, -1, -1, 48.5, 0}};
  const std::string t = format_demo_table(rows);
  EXPECT_THAT(t, HasSubstr("I/O alone"));
  EXPECT_THAT(t, HasSubstr("10.20 ms"));
  EXPECT_THAT(t, HasSubstr("48.5"));
}

}  // namespace
