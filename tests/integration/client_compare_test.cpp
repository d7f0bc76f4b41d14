// `corobench compare` and `--versus` as a user runs them: the real binary on
// --json results of two short real runs, on files unfit for it, and on two
// real targets in rounds.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <boost/json.hpp>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/files.hpp"

namespace {

using corobench::test::corobench_raw;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using coroserve::test::read_file;
using coroserve::test::TempDir;
using coroserve::test::write_file;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(ClientCompare, TwoRealRunsSideBySide) {
  FakeHttpServer srv({});
  TempDir dir;
  // 10 seconds a run: the comparison needs 4 seconds with a CPU value in
  // each run, and this leaves room to spare on a loaded machine.
  for (const char* name : {"a.json", "b.json"}) {
    const auto run =
        corobench_raw({"-c", "4", "-t", "1", "-d", "10s", "--warmup", "1s", "--no-progress",
                       "--json", dir.file(name), "--timeline", dir.file(std::string(name) + ".svg"),
                       "--server-pid", std::to_string(::getpid()), srv.url()},
                      30s);
    ASSERT_TRUE(run.status.success()) << why(run);
  }
  // The run's seconds: warmup first and marked, the measured ones adding up.
  const auto a = boost::json::parse(read_file(dir.file("a.json"))).as_object();
  const auto& samples = a.at("time_series").at("samples").as_array();
  ASSERT_GE(samples.size(), 6u);
  EXPECT_TRUE(samples[0].at("warmup").as_bool());
  std::uint64_t measured = 0;
  for (const auto& s : samples) {
    if (!s.at("warmup").as_bool()) measured += corobench::test::u(s.at("responses"));
  }
  EXPECT_EQ(measured, corobench::test::u(a.at("responses")));
  // The server (this process) used CPU in the first measured second, and
  // none is counted to warmup.
  EXPECT_TRUE(samples[0].at("cpu_s").at("server").is_null());
  EXPECT_GT(samples[1].at("cpu_s").at("server").to_number<double>(), 0.0);
  EXPECT_THAT(read_file(dir.file("a.json.svg")), HasSubstr("data-series=\"p99\""));
  const auto cmp = corobench_raw({"compare", dir.file("a.json"), dir.file("b.json")}, 30s);
  ASSERT_TRUE(cmp.status.success()) << why(cmp);
  EXPECT_THAT(cmp.out, HasSubstr("A = " + dir.file("a.json")));
  EXPECT_THAT(cmp.out, HasSubstr("requests/s"));
  EXPECT_THAT(cmp.out, HasSubstr("goodput/s"));
  EXPECT_THAT(cmp.out, HasSubstr("2xx p99"));
  EXPECT_THAT(cmp.out, HasSubstr("server CPU/req"));
  EXPECT_THAT(cmp.out, ContainsRegex("B vs A  requests/s +x"));
  EXPECT_THAT(cmp.out, ContainsRegex("B vs A  server CPU/req +x"));
  EXPECT_THAT(cmp.out, HasSubstr("batch means with Student t"));
}

TEST(ClientCompare, UnfitFilesExitTwoWithTheReason) {
  TempDir dir;
  write_file(dir.file("text.json"), "hello\n");
  write_file(dir.file("other.json"), R"({"tool": "wrk"})");
  write_file(dir.file("old.json"), R"({"tool": "corobench", "schema": 2})");
  const struct {
    const char* file;
    const char* says;
  } cases[] = {{"text.json", "not JSON"},
               {"other.json", "not a corobench result"},
               {"old.json", "has no per-second time series"}};
  for (const auto& c : cases) {
    const auto r = corobench_raw({"compare", dir.file(c.file), dir.file(c.file)}, 10s);
    EXPECT_TRUE(r.status.exited && r.status.code == 2) << c.file << ": " << why(r);
    EXPECT_THAT(r.err, HasSubstr(c.says)) << c.file;
  }
  const auto one = corobench_raw({"compare", dir.file("old.json")}, 10s);
  EXPECT_EQ(one.status.code, 2) << why(one);
}

// B answers 3 ms after each request, A after 1 ms: four pairs of rounds
// tell them apart, and the --json result holds each round.
TEST(ClientVersus, TwoRealTargetsInAlternatingRounds) {
  FakeHttpServer a({.delay = 1ms});
  FakeHttpServer b({.delay = 3ms});
  TempDir dir;
  const auto run =
      corobench_raw({"-c", "2", "-t", "1", "-d", "2s", "--round", "500ms", "--progress", "lines",
                     "--versus", b.url("/b"), "--json", dir.file("v.json"), a.url("/a")},
                    30s);
  ASSERT_TRUE(run.status.success()) << why(run);
  EXPECT_THAT(run.out, HasSubstr("4 pairs of 0.5 s rounds, run A B, B A"));
  EXPECT_THAT(run.out, ContainsRegex("B vs A  requests/s +x0\\.[0-9]+ .*lower, beyond the noise"));
  EXPECT_THAT(run.out,
              ContainsRegex("B vs A  2xx p50 +x[1-9]\\.[0-9]+ .*higher, beyond the noise"));
  EXPECT_THAT(run.err, HasSubstr("pair 2 of 4, B:"));
  EXPECT_EQ(b.served_connections(), 4u * 2u) << "each round opens its own connections";
  const auto v = boost::json::parse(read_file(dir.file("v.json"))).as_object();
  EXPECT_EQ(v.at("pairs").as_array().size(), 4u);
  EXPECT_EQ(v.at("b_vs_a").at("2xx p50").at("verdict").as_string(), "higher");
  // The result is not one run: compare says so rather than misreading it.
  const auto cmp = corobench_raw({"compare", dir.file("v.json"), dir.file("v.json")}, 10s);
  EXPECT_EQ(cmp.status.code, 2) << why(cmp);
  EXPECT_THAT(cmp.err, HasSubstr("a --versus result"));
}

TEST(ClientVersus, RoundFlagsWithoutASecondTargetExitTwo) {
  const auto r = corobench_raw({"--round", "1s", "http://127.0.0.1:9/"}, 10s);
  EXPECT_EQ(r.status.code, 2) << why(r);
  EXPECT_THAT(r.err, HasSubstr("--round requires --versus"));
}

}  // namespace
