// corobench as a user runs it: the real binary, against a fake server of
// known behaviour in this process (runs always) and against a real
// coroserve on an ephemeral port (once that binary exists).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <regex>

#include "tests/integration/client_run.hpp"
#include "tests/support/fake_http_server.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/wait.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::expect_counts_add_up;
using corobench::test::u;
using corobench::test::why;
using coroserve::test::FakeHttpServer;
using coroserve::test::read_file;
using coroserve::test::TempDir;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;
namespace json = boost::json;

// ---- against the in-process fake server ------------------------------------

TEST(ClientCorobench, CountsAddUpAndDashNStopsExactly) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "8", "-t", "2", "-n", "1000", srv.url("/plaintext")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("requests")), 1000u);
  EXPECT_EQ(u(b.result.at("responses")), 1000u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  EXPECT_EQ(u(b.result.at("status").at("200")), 1000u);
  expect_counts_add_up(b.result);
  EXPECT_EQ(srv.requests(), 1000u);  // not one more reached the server
  EXPECT_EQ(u(b.result.at("connections_opened")), 8u);
}

TEST(ClientCorobench, NoKeepaliveOpensAConnectionPerRequest) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "4", "-n", "200", "--no-keepalive", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 200u);
  EXPECT_EQ(u(b.result.at("connections_opened")), 200u);
  EXPECT_EQ(srv.served_connections(), 200u);
  EXPECT_EQ(srv.requests(), 200u);
}

TEST(ClientCorobench, KeepaliveReusesConnections) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "3", "-t", "1", "-n", "300", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("connections_opened")), 3u);
  EXPECT_EQ(srv.served_connections(), 3u);
}

TEST(ClientCorobench, PipeliningSendsTheBatchBeforeAnyAnswer) {
  // This server answers only once 8 requests are waiting on the connection.
  FakeHttpServer srv({.batch = 8});
  const Bench b = corobench(
      {"-c", "2", "-t", "1", "-n", "800", "--pipeline", "8", "--timeout", "3s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 800u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  EXPECT_EQ(srv.max_pipelined(), 8u);
  EXPECT_EQ(u(b.result.at("config").at("pipeline")), 8u);
}

TEST(ClientCorobench, WithoutPipeliningTheBatchServerTimesOut) {
  // The control for the test above: one request in flight never gets an answer.
  FakeHttpServer srv({.batch = 2});
  const Bench b = corobench({"-c", "1", "-n", "2", "--timeout", "200ms", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("errors").at("timeout")), 2u);
  expect_counts_add_up(b.result);  // ended by its timeouts, well before the test's bound
}

TEST(ClientCorobench, ChunkedCloseDelimitedAndHeadAnswersParse) {
  for (auto framing :
       {FakeHttpServer::Framing::chunked, FakeHttpServer::Framing::close_delimited}) {
    for (const char* method : {"GET", "HEAD"}) {
      FakeHttpServer srv({.framing = framing});
      const Bench b = corobench({"-c", "2", "-t", "1", "-n", "100", "-m", method, srv.url()});
      ASSERT_TRUE(b.run.status.success()) << why(b);
      EXPECT_EQ(u(b.result.at("responses")), 100u) << method << " " << static_cast<int>(framing);
      EXPECT_EQ(u(b.result.at("errors").at("total")), 0u) << why(b);
    }
  }
}

TEST(ClientCorobench, MalformedAnswersAreCountedAsSuch) {
  FakeHttpServer srv({.framing = FakeHttpServer::Framing::garbage});
  const Bench b = corobench({"-c", "1", "-n", "5", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("errors").at("malformed")), 5u);
  expect_counts_add_up(b.result);
}

TEST(ClientCorobench, SlowAnswersTimeOut) {
  FakeHttpServer srv({.delay = 1000ms});
  const Bench b = corobench({"-c", "2", "-t", "1", "-n", "4", "--timeout", "100ms", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("errors").at("timeout")), 4u);
  EXPECT_EQ(u(b.result.at("responses")), 0u);
}

TEST(ClientCorobench, InterimAnswersArePassedOverToTheFinalOne) {
  FakeHttpServer srv({.interim = true});
  const Bench b = corobench({"-c", "2", "-t", "1", "-n", "200", "--pipeline", "2", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 200u);
  EXPECT_EQ(b.result.at("status").as_object().size(), 1u) << why(b);
  EXPECT_EQ(u(b.result.at("status").at("200")), 200u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  expect_counts_add_up(b.result);
}

// After 101 Switching Protocols a connection no longer speaks HTTP: the next
// request goes on a new one (the fake's 101 is followed by bytes that would
// be read as a malformed answer otherwise).
TEST(ClientCorobench, A101AnswerEndsTheConnection) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "1", "-n", "3", srv.url("/status/101")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("status").at("101")), 3u) << why(b);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u) << why(b);
  EXPECT_EQ(u(b.result.at("connections_opened")), 3u);
}

// An open loop's connections wait between sends; one the server closed for
// being idle is opened again, and no request is lost to the close.
TEST(ClientCorobench, AConnectionClosedWhileIdleIsReopenedNotAnError) {
  FakeHttpServer srv({.idle_timeout = 50ms});
  const Bench b = corobench({"-c", "2", "-t", "1", "-R", "4", "-n", "6", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 6u) << why(b);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u) << why(b);
  // Each connection sends every 500 ms, well past the server's 50 ms.
  EXPECT_GT(u(b.result.at("connections_opened")), 3u) << why(b);
}

TEST(ClientCorobench, StopSignalsCutWhatIsInFlightShortAndStillReport) {
  for (const int sig : {SIGINT, SIGTERM}) {
    FakeHttpServer srv({.delay = 60s});
    TempDir dir("corobench-stop");
    auto bench = coroserve::test::Process::spawn(
        {.argv = {COROBENCH_BINARY, "--no-progress", "-c", "2", "-t", "1", "-d", "60s", "--timeout",
                  "60s", "--json", dir.file("r.json"), srv.url()},
         .env = {},
         .stdout_path = dir.file("out.txt"),
         .stderr_path = dir.file("err.txt")});
    ASSERT_TRUE(coroserve::test::wait_until([&] { return srv.requests() == 2; }, 20s,
                                            "both connections' requests at the server"));
    bench.send_signal(sig);
    // The answers would take a minute; the report must not wait for them.
    const auto st = bench.wait_for(20s);
    ASSERT_TRUE(st) << "corobench still ran 20 s after signal " << sig;
    EXPECT_TRUE(st->exited);
    EXPECT_EQ(st->code, 128 + sig);
    const auto r = json::parse(read_file(dir.file("r.json"))).as_object();
    EXPECT_EQ(u(r.at("requests")), 2u);
    EXPECT_EQ(u(r.at("errors").at("stopped")), 2u);
    EXPECT_EQ(u(r.at("errors").at("timeout")), 0u);
    EXPECT_THAT(read_file(dir.file("out.txt")), HasSubstr("stopped=2"));
  }
}

TEST(ClientCorobench, JsonToStdoutKeepsStdoutToItself) {
  FakeHttpServer srv({});
  const auto r =
      corobench::test::corobench_raw({"--no-progress", "-n", "10", "--json", "-", srv.url()}, 20s);
  ASSERT_TRUE(r.status.success()) << why(r);
  EXPECT_EQ(u(json::parse(r.out).as_object().at("responses")), 10u);
  EXPECT_THAT(r.err, HasSubstr("Requests:"));
}

TEST(ClientCorobench, HeaderFlagTakesOneValueAndFramingHeadersAreRefused) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-n", "3", "-H", "X-A: 1", "-H", "X-B: 2", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 3u);
  for (const char* h : {"Connection: close", "content-length: 5", "Transfer-Encoding: chunked"}) {
    const Bench refused = corobench({"-n", "3", "-H", h, srv.url()}, 10s);
    EXPECT_EQ(refused.run.status.code, 2) << why(refused);
    EXPECT_THAT(refused.run.err, HasSubstr("refused")) << h;
  }
  EXPECT_EQ(srv.requests(), 3u);
}

TEST(ClientCorobench, MoreConnectionsThanOpenFilesAllowIsAUsageError) {
  FakeHttpServer srv({});
  const auto r =
      coroserve::test::run_capture({"/bin/sh", "-c", "ulimit -n 128 && exec \"$0\" \"$@\"",
                                    COROBENCH_BINARY, "-c", "400", "-d", "1s", srv.url()},
                                   20s);
  EXPECT_EQ(r.status.code, 2) << why(r);
  EXPECT_THAT(r.err, HasSubstr("ulimit -n"));
  EXPECT_EQ(srv.served_connections(), 0u);
  // A soft limit alone is raised to the hard one: the run goes ahead.
  const auto raised = coroserve::test::run_capture(
      {"/bin/sh", "-c", "ulimit -S -n 128 && exec \"$0\" \"$@\"", COROBENCH_BINARY, "-c", "400",
       "-n", "400", "--no-progress", srv.url()},
      30s);
  EXPECT_TRUE(raised.status.success()) << why(raised);
  EXPECT_THAT(raised.out, HasSubstr("400 sent, 400 responses, 0 errors"));
}

TEST(ClientCorobench, MixCountsPerLineMatchWhatTheServerAnswered) {
  FakeHttpServer srv({});
  TempDir dir;
  coroserve::test::write_file(dir.file("mix.txt"),
                              "# three OK for one not found\n3 GET /ok\n1 GET /status/404\n");
  const Bench b =
      corobench({"-c", "4", "-t", "1", "-n", "400", "--mix", dir.file("mix.txt"), srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("status").at("200")), 300u);
  EXPECT_EQ(u(b.result.at("status").at("404")), 100u);
  const auto srv_status = srv.statuses();
  EXPECT_EQ(srv_status.at(200), 300u);
  EXPECT_EQ(srv_status.at(404), 100u);
  const auto& lines = b.result.at("per_line").as_array();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(u(lines[0].at("responses")), 300u);
  EXPECT_EQ(u(lines[0].at("status").at("200")), 300u);
  EXPECT_EQ(u(lines[1].at("status").at("404")), 100u);
  EXPECT_THAT(b.run.out, HasSubstr("[2] weight 1  GET /status/404"));
}

TEST(ClientCorobench, BadMixLineFailsWithFileAndLine) {
  FakeHttpServer srv({});
  TempDir dir;
  coroserve::test::write_file(dir.file("mix.txt"), "3 GET /ok\nthree GET /x\n");
  const Bench b = corobench({"-n", "1", "--mix", dir.file("mix.txt"), srv.url()});
  EXPECT_EQ(b.run.status.code, 2) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("mix.txt:2: weight must be an integer"));
  EXPECT_EQ(srv.requests(), 0u);
}

// Parses "31.2us" / "1.23ms" / "2.50s" / "500ns" back to microseconds.
double parse_us(const std::string& s) {
  const double v = std::stod(s);
  if (s.ends_with("ns")) return v / 1000;
  if (s.ends_with("us")) return v;
  if (s.ends_with("ms")) return v * 1000;
  return v * 1e6;
}

void expect_json_matches_summary(const Bench& b) {
  const std::string& out = b.run.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m, std::regex(R"(Requests:\s+(\d+) sent, (\d+) responses, (\d+) errors)")))
      << out;
  EXPECT_EQ(std::stoull(m[1]), u(b.result.at("requests")));
  EXPECT_EQ(std::stoull(m[2]), u(b.result.at("responses")));
  EXPECT_EQ(std::stoull(m[3]), u(b.result.at("errors").at("total")));
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Requests/s:\s+([0-9.]+))")));
  EXPECT_NEAR(std::stod(m[1]), b.result.at("requests_per_s").to_number<double>(), 0.01);
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Status:\s+(.*)\n)")));
  std::string expected_status;
  for (const auto& kv : b.result.at("status").as_object()) {
    if (!expected_status.empty()) expected_status += ' ';
    expected_status += std::string(kv.key()) + "=" + std::to_string(u(kv.value()));
  }
  EXPECT_EQ(m[1].str(), expected_status);
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(Connections:\s+(\d+) opened)")));
  EXPECT_EQ(std::stoull(m[1]), u(b.result.at("connections_opened")));
  // The 2xx latency row: min p50 p75 p90 p99 p99.9 p99.99 max mean stdev.
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(
          R"(Latency .*\n\s+2xx\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+))")));
  const char* keys[] = {"min",   "p50",    "p75", "p90",  "p99",
                        "p99.9", "p99.99", "max", "mean", "stdev"};
  const auto& lat = b.result.at("latency_us").as_object();
  for (int i = 0; i < 10; ++i) {
    const double text = parse_us(m[i + 1].str());
    const double js = lat.at(keys[i]).to_number<double>();
    // The text has three significant digits.
    EXPECT_NEAR(text, js, std::max(js * 0.006, 0.006)) << keys[i];
  }
}

TEST(ClientCorobench, JsonCarriesTheSameNumbersAsTheTextSummary) {
  FakeHttpServer srv({});
  // Without -n, only -d ends the run: a run that overstayed it would be
  // stopped at the test's bound (30 s) and fail.
  const Bench b = corobench({"-c", "4", "-t", "2", "-d", "1s", srv.url("/x")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  // Enough answers for a latency row; how many fit in 1 s depends on how busy
  // the machine is.
  EXPECT_GT(u(b.result.at("responses")), 10u);
  expect_counts_add_up(b.result);
  expect_json_matches_summary(b);
}

TEST(ClientCorobench, OpenLoopSendsAtTheAskedRate) {
  FakeHttpServer srv({});
  const Bench b = corobench({"-c", "4", "-t", "1", "-R", "400", "-d", "1s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(b.result.at("config").at("mode").as_string(), "open");
  EXPECT_NEAR(static_cast<double>(u(b.result.at("requests"))), 400.0, 8.0);
  EXPECT_THAT(b.run.out, HasSubstr("open loop at 400 req/s"));
}

TEST(ClientCorobench, OpenLoopChargesServerDelayFromTheScheduledTime) {
  // 20 req/s on 1 connection (every 50 ms) against 200 ms answers: each send
  // is late, and the latency from the schedule grows past the 200 ms service
  // time, as it should (closed loop would report a flat 200 ms).
  FakeHttpServer srv({.delay = 200ms});
  const Bench b = corobench({"-c", "1", "-R", "20", "-d", "1s", "--timeout", "5s", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const auto& lat = b.result.at("latency_us").as_object();
  EXPECT_GT(lat.at("max").to_number<double>(), 400'000.0);
  EXPECT_GE(lat.at("min").to_number<double>(), 190'000.0);
}

TEST(ClientCorobench, WarmupIsNotCounted) {
  FakeHttpServer srv({});
  const Bench b =
      corobench({"-c", "1", "-R", "100", "--warmup", "500ms", "-d", "500ms", srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_NEAR(static_cast<double>(u(b.result.at("requests"))), 50.0, 3.0);
  EXPECT_NEAR(static_cast<double>(srv.requests()), 100.0, 4.0);
}

TEST(ClientCorobench, LatencyCsvIsWritten) {
  FakeHttpServer srv({});
  TempDir dir;
  const Bench b =
      corobench({"-c", "1", "-n", "200", "--latency-csv", dir.file("lat.csv"), srv.url()});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  const std::string csv = read_file(dir.file("lat.csv"));
  EXPECT_TRUE(csv.starts_with("value_us,percentile,total_count,one_over_one_minus_percentile\n"));
  EXPECT_THAT(csv, HasSubstr(",100.000000,200,\n"));
}

// ---- failures ----------------------------------------------------------------

TEST(ClientCorobench, UnreachableTargetFailsFastWithAClearMessage) {
  const auto port = coroserve::test::unused_port();
  // Given an hour, it gives up at once: a run that kept retrying would be
  // stopped at the test's bound and fail.
  const Bench b = corobench({"-d", "1h", "http://127.0.0.1:" + std::to_string(port) + "/"}, 10s);
  EXPECT_TRUE(b.run.status.exited);
  EXPECT_EQ(b.run.status.code, 1);
  EXPECT_THAT(b.run.err, HasSubstr("cannot connect to 127.0.0.1:" + std::to_string(port)));
  EXPECT_THAT(b.run.err, HasSubstr("refused"));
  EXPECT_FALSE(b.run.timed_out);
  EXPECT_TRUE(b.result.empty());
}

TEST(ClientCorobench, UnresolvableHostFailsWithAClearMessage) {
  const Bench b = corobench({"-n", "1", "http://no-such-host.invalid/"}, 20s);
  EXPECT_EQ(b.run.status.code, 1);
  EXPECT_THAT(b.run.err, HasSubstr("cannot resolve host 'no-such-host.invalid'"));
}

TEST(ClientCorobench, BadArgumentsExitWithTwo) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"ftp://127.0.0.1/"},
           {"-c", "0", "http://127.0.0.1/"},
           {"-d", "ten", "http://127.0.0.1/"},
           {"--pipeline", "2", "--no-keepalive", "http://127.0.0.1/"},
           {"-H", "bad header", "http://127.0.0.1/"},
           {}}) {
    const Bench b = corobench(args, 10s);
    EXPECT_EQ(b.run.status.code, 2) << why(b);
    EXPECT_FALSE(b.run.err.empty());
  }
  // Positive numbers say what is wanted.
  EXPECT_THAT(corobench({"-n", "0", "http://127.0.0.1/"}, 10s).run.err,
              HasSubstr("--requests: must be greater than 0, not 0"));
  EXPECT_THAT(corobench({"-R", "abc", "http://127.0.0.1/"}, 10s).run.err,
              HasSubstr("--rate: 'abc' is not a number"));
}

// stderr here is a file: auto shows nothing, lines one plain line a second.
TEST(ClientCorobench, ProgressLinesAreForLogsAndAutoIsQuietOffATerminal) {
  FakeHttpServer srv({});
  const auto lines = corobench::test::corobench_raw(
      {"--progress", "lines", "-c", "1", "-R", "50", "-d", "2500ms", srv.url()}, 30s);
  ASSERT_TRUE(lines.status.success()) << lines.err;
  EXPECT_THAT(lines.err, HasSubstr(" req/s "));
  EXPECT_GE(std::count(lines.err.begin(), lines.err.end(), '\n'), 2);
  EXPECT_EQ(lines.err.find('\r'), std::string::npos);
  EXPECT_EQ(lines.err.find('\033'), std::string::npos);
  const auto automatic =
      corobench::test::corobench_raw({"-c", "1", "-R", "50", "-d", "1500ms", srv.url()}, 30s);
  ASSERT_TRUE(automatic.status.success()) << automatic.err;
  EXPECT_THAT(automatic.err, Not(HasSubstr(" req/s ")));
  const auto both = corobench::test::corobench_raw(
      {"--progress", "lines", "--no-progress", "-n", "1", srv.url()}, 10s);
  EXPECT_EQ(both.status.code, 2);
  const auto bad =
      corobench::test::corobench_raw({"--progress", "loud", "-n", "1", srv.url()}, 10s);
  EXPECT_EQ(bad.status.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("--progress"));
}

TEST(ClientCorobench, UnwritableJsonFileIsAnError) {
  FakeHttpServer srv({});
  const auto r = coroserve::test::run_capture(
      {COROBENCH_BINARY, "-n", "5", "-c", "1", "--json", "/nonexistent/dir/x.json", srv.url()},
      20s);
  EXPECT_EQ(r.status.code, 1);
  EXPECT_THAT(r.err, HasSubstr("cannot write --json file '/nonexistent/dir/x.json'"));
  EXPECT_EQ(srv.requests(), 0u) << "the run went ahead with nowhere to put its result";
}

// ---- against a real coroserve ------------------------------------------------

class ClientAgainstCoroserve : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(COROSERVE_BINARY)) {
      GTEST_SKIP() << "coroserve not built at " << COROSERVE_BINARY;
    }
    server_ = std::make_unique<coroserve::test::ServerProcess>(COROSERVE_BINARY);
  }
  void TearDown() override {
    if (server_) {
      const auto st = server_->stop();
      EXPECT_TRUE(st.success()) << "coroserve ended with " << st.describe() << "\n"
                                << server_->stderr_text();
    }
  }
  std::string url(const std::string& path) const { return server_->base_url() + path; }
  std::unique_ptr<coroserve::test::ServerProcess> server_;
};

TEST_F(ClientAgainstCoroserve, PlaintextCountsAddUpAndDashNStopsExactly) {
  const Bench b = corobench({"-c", "16", "-t", "2", "-n", "5000", url("/plaintext")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("requests")), 5000u);
  EXPECT_EQ(u(b.result.at("status").at("200")), 5000u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  expect_counts_add_up(b.result);
  // 13 bytes of "Hello, World!" in each answer, plus headers.
  EXPECT_GT(u(b.result.at("bytes_received")), 5000u * 13u);
}

TEST_F(ClientAgainstCoroserve, NoKeepaliveOpensAConnectionPerRequest) {
  auto accepted = [&] { return coroserve::test::connection_count(server_->port(), "accepted"); };
  const auto before = accepted();
  const Bench b = corobench({"-c", "4", "-n", "300", "--no-keepalive", url("/plaintext")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 300u);
  EXPECT_EQ(u(b.result.at("connections_opened")), 300u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  // The server's own count: 300 connections, plus corobench's reachability
  // probe before the run, plus the second /stats request itself.
  EXPECT_EQ(accepted() - before, 300 + 1 + 1);
}

TEST_F(ClientAgainstCoroserve, PipeliningWorks) {
  const Bench b =
      corobench({"-c", "4", "-t", "1", "-n", "4000", "--pipeline", "16", url("/plaintext")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 4000u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  EXPECT_EQ(u(b.result.at("connections_opened")), 4u);
}

TEST_F(ClientAgainstCoroserve, StatusCountsFollowTheMix) {
  TempDir dir;
  coroserve::test::write_file(dir.file("mix.txt"),
                              "3 GET /plaintext\n"
                              "1 GET /no/such/path\n"
                              "1 POST /echo {\"hello\": \"world\"}\n"
                              "1 GET /healthz\n");
  const Bench b =
      corobench({"-c", "4", "-t", "1", "-n", "600", "--mix", dir.file("mix.txt"), url("/")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("status").at("404")), 100u);
  EXPECT_EQ(u(b.result.at("status").at("200")), 500u);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  const auto& lines = b.result.at("per_line").as_array();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(u(lines[0].at("status").at("200")), 300u);
  EXPECT_EQ(u(lines[2].at("status").at("200")), 100u);  // the echo
  expect_counts_add_up(b.result);
}

TEST_F(ClientAgainstCoroserve, JsonMatchesTextSummary) {
  const Bench b = corobench({"-c", "8", "-t", "1", "-d", "1s", url("/plaintext")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  expect_counts_add_up(b.result);
  expect_json_matches_summary(b);
}

TEST_F(ClientAgainstCoroserve, OpenLoopAgainstTimerEndpoint) {
  const Bench b =
      corobench({"-c", "20", "-t", "1", "-R", "500", "-d", "1s", url("/io/sleep?ms=10")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  // 500 sends are due in the second (one every 2 ms, the last at 998 ms).
  // On a busy machine some may never leave, but each is either sent or
  // counted as dropped, never both, never lost.
  const auto sent = u(b.result.at("requests"));
  const auto dropped = u(b.result.at("bottleneck").at("dropped_sends"));
  EXPECT_EQ(sent + dropped, 500u) << sent << " sent, " << dropped << " dropped";
  EXPECT_GT(sent, 0u);
  expect_counts_add_up(b.result);
  EXPECT_EQ(u(b.result.at("errors").at("total")), 0u);
  // Nothing answers a 10 ms sleep faster than 10 ms.
  EXPECT_GE(b.result.at("latency_us").at("min").to_number<double>(), 10'000.0);
}

}  // namespace
