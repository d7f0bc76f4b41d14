// `corobench compare`'s reading of --json results and its verdicts, on
// results written here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>

#include "client/compare.hpp"
#include "client/errors.hpp"

namespace {

using namespace corobench;
using ::testing::HasSubstr;
using ::testing::Not;
namespace json = boost::json;

// A schema-3 result of `seconds` measured seconds at `rate` req/s, the
// seconds alternating 5 % above and below it, and one warmup second. With
// `drift`, the rate also drifts linearly by that share over the run, from
// drift/2 below to drift/2 above. With `server_us` > 0 the server's CPU per
// answer is that in every second, as a run with --server-pid reports it.
json::object result(double rate, int seconds, double drift = 0, double server_us = 0) {
  json::array samples;
  for (int t = -1; t < seconds; ++t) {
    const double trend = 1 + drift * (static_cast<double>(t) / seconds - 0.5);
    const double r = std::round(rate * (t % 2 ? 1.05 : 0.95) * trend);  // a count
    json::object sample{{"t_s", t},
                        {"duration_s", 1.0},
                        {"warmup", t < 0},
                        {"responses", r},
                        {"status_2xx", r},
                        {"errors", {{"total", 0}}},
                        {"latency_us", {{"p50", 1e6 / r}, {"p99", 3e6 / r}, {"max", 5e6 / r}}},
                        {"connections", 8}};
    if (server_us > 0) {
      sample["cpu_s"] = {{"generator", r * 5e-6}, {"server", t < 0 ? 0.0 : r * server_us * 1e-6}};
    }
    samples.push_back(std::move(sample));
  }
  const json::value server_cpu =
      server_us > 0 ? json::value{{"us_per_request", server_us}} : json::value(nullptr);
  return {
      {"tool", "corobench"},
      {"schema", 3},
      {"requests_per_s", rate},
      {"goodput_per_s", rate},
      {"latency_us", {{"p50", 1e6 / rate}, {"p99", 3e6 / rate}, {"max", 5e6 / rate}}},
      {"errors", {{"total", 0}}},
      {"bottleneck", {{"generator_cpu", {{"us_per_request", 5.0}}}, {"server_cpu", server_cpu}}},
      {"time_series", {{"interval_s", 1.0}, {"samples", samples}}}};
}

// The line of `text` that starts with `start`, or "".
std::string line_of(const std::string& text, const std::string& start) {
  const auto i = text.find(start);
  return i == std::string::npos ? std::string() : text.substr(i, text.find('\n', i) - i);
}

RunFigures parsed(const json::object& o, const char* name) {
  return parse_run(json::serialize(o), name);
}

std::string error_of(const std::string& text) {
  try {
    parse_run(text, "x.json");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ClientCompare, ReadsFiguresAndSeconds) {
  const RunFigures r = parsed(result(1000, 10), "a.json");
  EXPECT_DOUBLE_EQ(r.requests_per_s, 1000);
  EXPECT_DOUBLE_EQ(r.p99_us, 3000);
  ASSERT_EQ(r.series.size(), 11u);
  EXPECT_TRUE(r.series[0].warmup);
}

TEST(ClientCompare, TenPercentFasterIsBeyondTheNoiseAndEqualRunsAreNot) {
  const std::string text =
      format_comparison({parsed(result(1000, 20), "a.json"), parsed(result(1000, 20), "b.json"),
                         parsed(result(1100, 20), "c.json")});
  EXPECT_THAT(text, HasSubstr("A = a.json (20 measured whole seconds)"));
  EXPECT_THAT(text, HasSubstr("batch means with Student t (3 batches of about 6.7 seconds a run, "
                              "Welch df)"));
  EXPECT_THAT(text, HasSubstr("x1.100"));
  // One verdict line per figure with seconds, for each run after the first.
  EXPECT_THAT(line_of(text, "B vs A  requests/s"), HasSubstr("x1.000"));
  EXPECT_THAT(line_of(text, "B vs A  requests/s"), HasSubstr("within the noise"));
  EXPECT_THAT(line_of(text, "C vs A  requests/s"), HasSubstr("x1.100"));
  EXPECT_THAT(line_of(text, "C vs A  requests/s"), HasSubstr("higher, beyond the noise"));
  EXPECT_THAT(line_of(text, "C vs A  2xx p99"), HasSubstr("lower, beyond the noise"));
  // Without --server-pid there is no server CPU to compare.
  EXPECT_THAT(text, Not(HasSubstr("server CPU/req")));
  EXPECT_THAT(line_of(text, " corobench CPU/req"), HasSubstr("5.00us"));
}

// When corobench sets the pace, the rate drifts with it (40 % here) and
// hides a 10 % change in what an answer costs the server; the server's CPU
// per answer shows it.
TEST(ClientCompare, ServerCpuPerAnswerShowsAChangeTheDriftingRateHides) {
  const std::string text = format_comparison({parsed(result(1000, 30, 0.4, 10.0), "a.json"),
                                              parsed(result(900, 30, -0.4, 11.0), "b.json")});
  EXPECT_THAT(line_of(text, "B vs A  requests/s"), HasSubstr("within the noise"));
  EXPECT_THAT(line_of(text, " server CPU/req"), HasSubstr("11.0us x1.100"));
  EXPECT_THAT(line_of(text, "B vs A  server CPU/req"), HasSubstr("x1.100"));
  EXPECT_THAT(line_of(text, "B vs A  server CPU/req"), HasSubstr("higher, beyond the noise"));
  EXPECT_THAT(line_of(text, "B vs A  corobench CPU/req"), HasSubstr("within the noise"));
}

// A result written before CPU was read second by second compares without it.
TEST(ClientCompare, ResultsWithoutCpuSecondsStillCompare) {
  json::object old = result(1000, 10);
  old.erase("bottleneck");
  const std::string text =
      format_comparison({parsed(old, "old.json"), parsed(result(1000, 10, 0, 9.0), "new.json")});
  EXPECT_THAT(line_of(text, " server CPU/req"), HasSubstr("-"));
  EXPECT_THAT(line_of(text, "B vs A  server CPU/req"), HasSubstr("no verdict"));
}

TEST(ClientCompare, UnfitFilesAreNamedWithTheReason) {
  EXPECT_THAT(error_of("{not json"), HasSubstr("x.json: not JSON"));
  EXPECT_THAT(error_of("[1, 2]"), HasSubstr("not a corobench result"));
  EXPECT_THAT(error_of(R"({"tool": "wrk", "schema": 3})"), HasSubstr("not a corobench result"));
  json::object old = result(1000, 5);
  old["schema"] = 2;
  old.erase("time_series");
  EXPECT_THAT(error_of(json::serialize(old)), HasSubstr("schema 2 has no per-second time series"));
  json::object newer = result(1000, 5);
  newer["schema"] = 99;
  EXPECT_THAT(error_of(json::serialize(newer)), HasSubstr("schema 99 is newer"));
  json::object no_series = result(1000, 5);
  no_series.erase("time_series");
  EXPECT_THAT(error_of(json::serialize(no_series)), HasSubstr("has no \"time_series\""));
  json::object bad_sample = result(1000, 5);
  bad_sample["time_series"].as_object()["samples"].as_array()[0].as_object().erase("t_s");
  EXPECT_THAT(error_of(json::serialize(bad_sample)), HasSubstr("a sample has no \"t_s\""));
  EXPECT_THROW(read_run("/nonexistent/x.json"), UsageError);
  EXPECT_THROW(run_compare({"only-one.json"}), UsageError);
}

}  // namespace
