#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "client/options.hpp"
#include "client/request.hpp"
#include "client/target_url.hpp"
#include "tests/unit/client_usage_error.hpp"

namespace {

using namespace corobench;
using corobench::test::usage_error;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

CliResult parse(std::vector<const char*> args) {
  args.insert(args.begin(), "corobench");
  return parse_cli(static_cast<int>(args.size()), args.data());
}

TEST(ClientOptions, Durations) {
  EXPECT_EQ(parse_duration("10s", "d"), 10s);
  EXPECT_EQ(parse_duration("10", "d"), 10s);
  EXPECT_EQ(parse_duration("250ms", "d"), 250ms);
  EXPECT_EQ(parse_duration("1.5m", "d"), 90s);
  EXPECT_EQ(parse_duration("1h", "d"), 3600s);
  EXPECT_EQ(parse_duration("500us", "d"), 500us);
  EXPECT_THAT(usage_error([] { parse_duration("5x", "--duration"); }),
              HasSubstr("invalid --duration '5x'"));
  EXPECT_THAT(usage_error([] { parse_duration("-1s", "--timeout"); }), HasSubstr("--timeout"));
  EXPECT_THAT(usage_error([] { parse_duration("", "--warmup"); }), HasSubstr("--warmup"));
  EXPECT_THAT(usage_error([] { parse_duration("s", "--warmup"); }), HasSubstr("--warmup"));
}

TEST(ClientOptions, TargetUrls) {
  const Target t = parse_target("http://127.0.0.1:8080/io/sleep?ms=10#frag");
  EXPECT_EQ(t.host, "127.0.0.1");
  EXPECT_EQ(t.port, 8080);
  EXPECT_EQ(t.target, "/io/sleep?ms=10");
  EXPECT_EQ(t.host_header, "127.0.0.1:8080");
  const Target d = parse_target("localhost");
  EXPECT_EQ(d.port, 80);
  EXPECT_EQ(d.target, "/");
  EXPECT_EQ(d.host_header, "localhost");
  const Target v6 = parse_target("http://[::1]:9000/x");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.host_header, "[::1]:9000");
  const Target s = parse_target("https://localhost/x");
  EXPECT_TRUE(s.tls);
  EXPECT_EQ(s.port, 443);
  EXPECT_FALSE(s.host_is_ip);
  EXPECT_EQ(s.origin(), "https://localhost");
  // Credentials in the URL go out as Basic authorization, as curl sends
  // them, and the password stays out of the URL reports show.
  const Target cred = parse_target("http://us%20er:p%40ss@127.0.0.1:8080/x");
  EXPECT_EQ(cred.credentials, "us er:p@ss");
  EXPECT_EQ(cred.url, "http://us%20er:***@127.0.0.1:8080/x");
  EXPECT_THAT(make_request("GET", cred, {}, "", true, 1).wire,
              HasSubstr("\r\nAuthorization: Basic dXMgZXI6cEBzcw==\r\n"));
  // A header given with -H replaces it.
  EXPECT_THAT(make_request("GET", cred, {"Authorization: Bearer t"}, "", true, 1).wire,
              Not(HasSubstr("Basic")));
  EXPECT_TRUE(parse_target("http://127.0.0.1/").credentials.empty());
  EXPECT_TRUE(parse_target("http://@127.0.0.1/").credentials.empty());
  EXPECT_EQ(shown_url("https://token@h:1/a@b"), "https://***@h:1/a@b");
  EXPECT_EQ(shown_url("u:p@h/x"), "u:***@h/x");
  EXPECT_EQ(shown_url("http://h/x?u=a@b"), "http://h/x?u=a@b");
  EXPECT_THAT(usage_error([] { parse_target("http://u:secret@h:99999/"); }),
              Not(HasSubstr("secret")));
  EXPECT_TRUE(parse_target("https://[::1]:8443/").host_is_ip);
  EXPECT_TRUE(parse_target("https://127.0.0.1/").host_is_ip);
  EXPECT_THAT(usage_error([] { resolve_against(parse_target("https://h/"), "http://h/x"); }),
              HasSubstr("names another server"));
  EXPECT_THAT(usage_error([] { parse_target("ftp://127.0.0.1/"); }),
              HasSubstr("unsupported scheme"));
  EXPECT_THAT(usage_error([] { parse_target("http://127.0.0.1:99999/"); }), HasSubstr("invalid"));
  EXPECT_THAT(usage_error([] { parse_target("http:///x"); }), HasSubstr("no host"));
}

TEST(ClientOptions, CliParsesLoadFlags) {
  const auto r =
      parse({"-c", "64", "-t", "2", "-d", "3s", "-H", "X-A: 1", "-H", "X-B: 2", "--pipeline", "4",
             "-R", "1000", "--json", "out.json", "http://127.0.0.1:8080/plaintext"});
  ASSERT_EQ(r.command, CliResult::Command::load);
  EXPECT_EQ(r.load.connections, 64u);
  EXPECT_EQ(*r.load.threads, 2u);
  EXPECT_EQ(r.load.headers.size(), 2u);
  EXPECT_EQ(r.load.pipeline, 4u);
  EXPECT_EQ(*r.load.rate, 1000.0);
  const LoadPlan p = make_plan(r.load);
  EXPECT_EQ(*p.duration, 3s);
  EXPECT_TRUE(p.open_loop());
  ASSERT_EQ(p.requests.size(), 1u);
  EXPECT_THAT(p.requests[0].wire, HasSubstr("GET /plaintext HTTP/1.1\r\n"));
  EXPECT_THAT(p.requests[0].wire, HasSubstr("Host: 127.0.0.1:8080\r\n"));
  EXPECT_THAT(p.requests[0].wire, HasSubstr("X-A: 1\r\n"));
  EXPECT_THAT(p.requests[0].wire, HasSubstr("X-B: 2\r\n"));
}

TEST(ClientOptions, DemoSubcommand) {
  const auto r = parse({"demo", "http://127.0.0.1:8080", "--svg", "x.svg"});
  ASSERT_EQ(r.command, CliResult::Command::demo);
  EXPECT_EQ(r.demo.url, "http://127.0.0.1:8080");
  EXPECT_EQ(r.demo.svg_file, "x.svg");
}

TEST(ClientOptions, BadFlagsExitWithTwo) {
  EXPECT_EQ(parse({}).exit_code, 2);                        // no URL
  EXPECT_EQ(parse({"-c", "0", "http://x/"}).exit_code, 2);  // out of range
  EXPECT_EQ(parse({"--bogus", "http://x/"}).exit_code, 2);  // unknown flag
  EXPECT_EQ(parse({"--body", "a", "--body-file", "f", "http://x/"}).exit_code, 2);
  EXPECT_EQ(parse({"--help"}).exit_code, 0);
}

TEST(ClientOptions, PlanDefaultsAndBodies) {
  LoadOptions o;
  o.url = "http://127.0.0.1:8080/echo";
  o.body = "hello";
  o.no_keepalive = true;
  const LoadPlan p = make_plan(o);
  EXPECT_EQ(p.threads, 2u);  // min(2, 10)
  EXPECT_EQ(*p.duration, 10s);
  EXPECT_THAT(p.requests[0].wire, HasSubstr("POST /echo HTTP/1.1\r\n"));
  EXPECT_THAT(p.requests[0].wire, HasSubstr("Content-Length: 5\r\n"));
  EXPECT_THAT(p.requests[0].wire, HasSubstr("Connection: close\r\n"));
  EXPECT_TRUE(p.requests[0].wire.ends_with("\r\n\r\nhello"));

  LoadOptions n;
  n.url = "http://127.0.0.1/";
  n.requests = 100;
  n.connections = 1;
  const LoadPlan q = make_plan(n);
  EXPECT_FALSE(q.duration.has_value());  // -n alone: no time limit
  EXPECT_EQ(q.threads, 1u);

  LoadOptions h;
  h.url = "http://127.0.0.1/";
  h.method = "HEAD";
  EXPECT_TRUE(make_plan(h).requests[0].head);
}

TEST(ClientOptions, PlanRejectsImpossibleCombinations) {
  LoadOptions o;
  o.url = "http://127.0.0.1/";
  o.connections = 2;
  o.threads = 4;
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("--threads (4) must not exceed"));
  o.threads = 1;
  o.no_keepalive = true;
  o.pipeline = 4;
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("--pipeline needs keep-alive"));
  o.pipeline = 1;
  o.headers = {"NoColon"};
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("invalid header 'NoColon'"));
  o.headers = {"Bad Name: x"};
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("invalid header"));
  o.headers = {};
  o.body_file = "/nonexistent/body";
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("cannot read --body-file"));
}

TEST(ClientOptions, PlanFromMixFile) {
  const std::string path = ::testing::TempDir() + "client_options_mix.txt";
  {
    std::ofstream f(path);
    f << "3 GET /plaintext\n1 POST /echo hi there\n";
  }
  LoadOptions o;
  o.url = "http://127.0.0.1:8080/";
  o.mix_file = path;
  const LoadPlan p = make_plan(o);
  ASSERT_EQ(p.requests.size(), 2u);
  EXPECT_TRUE(p.per_line_stats);
  EXPECT_EQ(p.requests[0].weight, 3u);
  EXPECT_EQ(p.requests[1].label, "POST /echo");
  EXPECT_TRUE(p.requests[1].wire.ends_with("hi there"));
  o.method = "PUT";
  EXPECT_THAT(usage_error([&] { make_plan(o); }), HasSubstr("--method does not apply with --mix"));
  std::remove(path.c_str());
}

}  // namespace
