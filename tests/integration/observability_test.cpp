// What operators see: /metrics in the Prometheus text format, /stats, loop
// lag, request IDs, deadlines (504, work skipped) and overload behaviour.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

TEST(Metrics, EveryLineIsAValidPrometheusSample) {
  TestServer server;
  http_get(server.port(), "/plaintext");
  http_get(server.port(), "/cpu/primes?n=1000");
  const std::string text = metrics_text(server.port());
  const std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  const std::regex series(
      R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?([0-9.eE+-]+|\+Inf|NaN))re");
  std::istringstream in(text);
  int samples = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line[0] == '#') {
      EXPECT_TRUE(std::regex_match(line, comment)) << line;
    } else {
      EXPECT_TRUE(std::regex_match(line, series)) << line;
      ++samples;
    }
  }
  EXPECT_GT(samples, 30);
  for (const char* name :
       {"coroserve_http_requests_total", "coroserve_http_request_duration_seconds_bucket",
        "coroserve_connections_open", "coroserve_connections_accepted_total",
        "coroserve_pool_threads", "coroserve_pool_busy_threads", "coroserve_pool_queue_depth",
        "coroserve_pool_tasks_total", "coroserve_cpu_on_loop_total",
        "coroserve_event_loop_lag_seconds_bucket", "coroserve_deadline_exceeded_total",
        "coroserve_build_info"}) {
    EXPECT_THAT(text, HasSubstr(std::string("\n") + name)) << name;
  }
}

TEST(Metrics, CountersMoveByExactlyTheRequestsMade) {
  TestServer server;
  const std::string series =
      R"(coroserve_http_requests_total{route="/plaintext",method="GET",status="200"})";
  const std::string primes = R"(coroserve_pool_tasks_total{outcome="done"})";
  const std::string unmatched =
      R"(coroserve_http_requests_total{route="unmatched",method="GET",status="404"})";
  const double before = metric_sample(metrics_text(server.port()), series).value_or(0);
  const auto tasks_before = metric_sample(metrics_text(server.port()), primes);
  ASSERT_TRUE(tasks_before) << primes;
  RawClient c(server.port());
  for (int i = 0; i < 17; ++i) {
    c.send(get_request("/plaintext"));
    ASSERT_TRUE(c.read_response());
  }
  http_get(server.port(), "/cpu/primes?n=1000&split=3");
  const std::string after = metrics_text(server.port());
  EXPECT_EQ(metric_sample(after, series).value_or(0) - before, 17);
  // One request in three parts: three tasks.
  EXPECT_EQ(metric_sample(after, primes).value_or(0) - *tasks_before, 3);
  EXPECT_EQ(metric_sample(after, unmatched), std::nullopt);
  http_get(server.port(), "/nope");
  EXPECT_EQ(metric_sample(metrics_text(server.port()), unmatched), 1.0);
  auto s = stats_json(server.port());
  EXPECT_EQ(s["routes"].at("/plaintext").at("requests").to_number<std::uint64_t>(), 17u);
}

// The lag timer is due every 50 ms: a loop blocked for C ms makes it fire at
// least C - 50 ms late. Both checks compare the lag with the computation's
// own duration, not with a fixed bound, so a slow machine moves both alike.
TEST(Metrics, LoopLagRisesWithCpuOnTheLoopAndNotOnThePool) {
  constexpr double kLagIntervalMs = 50;
  TestServer server;
  auto lag_ms = [&] {
    return static_cast<double>(stats_json(server.port())["loop_lag_us"]
                                   .at("recent_max")
                                   .to_number<std::int64_t>()) /
           1000.0;
  };
  auto compute_ms = [&](const std::string& target) {
    const auto o = json::parse(http_get(server.port(), target).body()).as_object();
    return static_cast<double>(o.at("compute_us").as_int64()) / 1000.0;
  };
  const double pool_ms = compute_ms("/cpu/primes?n=600000000&split=1");
  const double with_pool = lag_ms();
  EXPECT_LT(with_pool, pool_ms) << "the loop stalled for as long as a worker computed";
  const double loop_ms = compute_ms("/cpu/primes?n=600000000&split=1&where=loop");
  ASSERT_GT(loop_ms, 2 * kLagIntervalMs) << "too little work to tell a stall from the interval";
  // The late timer's sample is taken once the loop is free again.
  double with_loop = 0;
  EXPECT_TRUE(wait_until([&] { return (with_loop = lag_ms()) >= loop_ms - kLagIntervalMs; }, 10s,
                         "the loop's lag to show its stall"))
      << "lag " << with_loop << " ms after " << loop_ms << " ms of CPU on the loop";
  EXPECT_EQ(stats_json(server.port())["cpu_on_loop"].to_number<std::uint64_t>(), 1u);
}

TEST(RequestIds, AreEchoedOrMade) {
  TestServer server;
  RawClient c(server.port());
  c.send(get_request("/plaintext", "X-Request-Id: trace-42.abc\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["X-Request-Id"], "trace-42.abc");
  c.send(get_request("/plaintext"));
  r = c.read_response();
  ASSERT_TRUE(r);
  const std::string made((*r)["X-Request-Id"]);
  EXPECT_EQ(made.size(), 16u);
  c.send(get_request("/plaintext"));
  r = c.read_response();
  EXPECT_NE((*r)["X-Request-Id"], made);  // unique
  // Not echoed when it could inject into logs or headers.
  c.send(get_request("/plaintext", "X-Request-Id: bad id \"quoted\"\r\n"));
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)["X-Request-Id"].size(), 16u);
}

// The answer to `raw` on a connection of its own: a request that ends
// early closes its connection.
std::optional<TestResponse> answer_alone(std::uint16_t port, const std::string& raw) {
  RawClient c(port);
  c.send(raw);
  return c.read_response();
}

// A head past the default --max-header-bytes (8192), its X-Request-Id first.
std::string oversized_head(std::string_view request_id) {
  return get_request("/plaintext", "X-Request-Id: " + std::string(request_id) +
                                       "\r\nX-Big: " + std::string(9000, 'a') + "\r\n");
}

// Requests that end before a handler runs: the client's ID is echoed when
// its head was parsed (and failed a check), else the answer carries a new one.
TEST(RequestIds, RequestsEndedEarlyCarryOne) {
  TestServer server;
  for (const std::string& raw : std::vector<std::string>{
           "GET /plaintext HTTP/1.1\r\nX-Request-Id: early-1\r\n\r\n",  // no Host
           "GET * HTTP/1.1\r\nHost: t\r\nX-Request-Id: early-1\r\n\r\n",
           get_request("/plaintext", "Expect: later\r\nX-Request-Id: early-1\r\n"),
           get_request("/" + std::string(5000, 'a'), "X-Request-Id: early-1\r\n"),  // 414
           "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000000\r\n"
           "X-Request-Id: early-1\r\n\r\n",
       }) {
    auto r = answer_alone(server.port(), raw);
    ASSERT_TRUE(r) << raw.substr(0, 60);
    EXPECT_GE(r->result_int(), 400u) << raw.substr(0, 60);
    EXPECT_EQ((*r)["X-Request-Id"], "early-1") << r->result_int() << " to " << raw.substr(0, 60);
  }
  // No parsed head, nothing to echo: 431, a request line past the header
  // limit (414), a malformed line, and a head with a bad ID.
  for (const std::string& raw : std::vector<std::string>{
           oversized_head("early-2"),
           "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n",
           std::string("GET /plaintext HTTP/1.1 extra\r\nHost: t\r\n\r\n"),
           std::string("GET /plaintext HTTP/1.1\r\nX-Request-Id: a b\r\n\r\n"),
       }) {
    auto r = answer_alone(server.port(), raw);
    ASSERT_TRUE(r) << raw.substr(0, 60);
    EXPECT_GE(r->result_int(), 400u) << raw.substr(0, 60);
    EXPECT_EQ((*r)["X-Request-Id"].size(), 16u) << r->result_int() << " to " << raw.substr(0, 60);
  }
}

// The access-log lines (the real binary's stderr) that carry `id`.
std::vector<std::string> access_lines(const ServerProcess& server, std::string_view id) {
  std::vector<std::string> lines;
  std::istringstream in(server.stderr_text());
  const std::string key = " access id=" + std::string(id) + " ";
  for (std::string line; std::getline(in, line);) {
    if (line.find(key) != std::string::npos) lines.push_back(line);
  }
  return lines;
}

TEST(RequestIds, RequestsEndedEarlyWriteOneAccessLogLineEach) {
  ServerProcess server(COROSERVE_BINARY, {"--access-log"});
  auto no_host =
      answer_alone(server.port(), "GET /plaintext HTTP/1.1\r\nX-Request-Id: log-400\r\n\r\n");
  auto expect = answer_alone(
      server.port(), get_request("/plaintext", "Expect: later\r\nX-Request-Id: log-417\r\n"));
  auto too_big = answer_alone(server.port(), oversized_head("log-431"));
  ASSERT_TRUE(no_host && expect && too_big);
  EXPECT_EQ(no_host->result_int(), 400u);
  EXPECT_EQ(expect->result_int(), 417u);
  EXPECT_EQ(too_big->result_int(), 431u);
  const std::string made((*too_big)["X-Request-Id"]);
  ASSERT_EQ(made.size(), 16u);
  // A target with a quote, a backslash and a byte past ASCII is written
  // escaped: the line stays one quoted, printable line.
  ASSERT_TRUE(answer_alone(server.port(),
                           get_request("/x\"status=200\"\\\xff", "X-Request-Id: log-quote\r\n")));
  // Lines are written in order: once this one is out, the others are too.
  ASSERT_TRUE(answer_alone(server.port(), get_request("/plaintext", "X-Request-Id: log-last\r\n")));
  ASSERT_TRUE(wait_until([&] { return !access_lines(server, "log-last").empty(); }, 10s,
                         "the last request's access-log line"))
      << server.stderr_text();
  const auto lines_400 = access_lines(server, "log-400");
  const auto lines_417 = access_lines(server, "log-417");
  const auto lines_431 = access_lines(server, made);
  ASSERT_EQ(lines_400.size(), 1u) << server.stderr_text();
  ASSERT_EQ(lines_417.size(), 1u) << server.stderr_text();
  ASSERT_EQ(lines_431.size(), 1u) << server.stderr_text();
  // A head that parsed shows its method and target; one that did not, "-".
  EXPECT_THAT(lines_400[0], HasSubstr(" method=GET target=\"/plaintext\" status=400 "));
  EXPECT_THAT(lines_417[0], HasSubstr(" method=GET target=\"/plaintext\" status=417 "));
  EXPECT_THAT(lines_431[0], HasSubstr(" method=- target=\"-\" status=431 "));
  const auto lines_quote = access_lines(server, "log-quote");
  ASSERT_EQ(lines_quote.size(), 1u) << server.stderr_text();
  EXPECT_THAT(lines_quote[0], HasSubstr(" target=\"/x\\x22status=200\\x22\\x5C\\xFF\" status="));
  EXPECT_TRUE(access_lines(server, "log-431").empty());
}

TEST(Deadlines, TwoTimeoutHeadersAre400) {
  TestServer server;
  auto r = answer_alone(server.port(), get_request("/cpu/primes?n=1000",
                                                   "X-Timeout-Ms: 50\r\nX-Timeout-Ms: abc\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::bad_request);
  const auto body = json::parse(r->body()).as_object();
  EXPECT_EQ(body.at("error").as_string(), "invalid_parameter");
  EXPECT_EQ(body.at("status").as_int64(), 400);
  EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr("X-Timeout-Ms"));
  // Refused also when the query gives the deadline.
  r = answer_alone(server.port(), get_request("/cpu/primes?n=1000&timeout_ms=600000",
                                              "X-Timeout-Ms: 50\r\nX-Timeout-Ms: 50\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::bad_request);
  // The query's timeout_ms wins over one header, which is then not read.
  r = answer_alone(server.port(),
                   get_request("/cpu/primes?n=1000&timeout_ms=600000", "X-Timeout-Ms: abc\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::ok);
  // An empty header is refused, as an empty ?timeout_ms= is.
  r = answer_alone(server.port(), get_request("/cpu/primes?n=1000", "X-Timeout-Ms:\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::bad_request) << r->body();
}

TEST(Deadlines, QueuedWorkPastItsDeadlineIs504AndSkipped) {
  Config cfg = test_config();
  cfg.workers = 1;
  TestServer server(cfg);
  RawClient busy(server.port());
  busy.send(get_request(kHeavyCpuTarget));
  ASSERT_TRUE(wait_for_pool(server, "the only worker busy with the first request",
                            [](const PoolStats& s) { return s.busy >= 1; }));

  RawClient late(server.port());
  late.send(get_request("/cpu/primes?n=1000&split=4", "X-Timeout-Ms: 100\r\n"));
  auto r = late.read_response(30s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result(), http::status::gateway_timeout);
  EXPECT_EQ(json::parse(r->body()).at("error").as_string(), "deadline_exceeded");
  // Answered at the deadline, while the blocker still holds the worker.
  EXPECT_EQ(server.server().pool_stats().done, 0u);
  ASSERT_TRUE(busy.read_response(120s));
  ASSERT_TRUE(wait_for_pool(server, "the late request's 4 parts skipped",
                            [](const PoolStats& s) { return s.skipped >= 4; }));
  EXPECT_EQ(server.server().pool_stats().skipped, 4u);  // none of its 4 parts computed
  EXPECT_EQ(server.server().pool_stats().done, 1u);
  auto s = stats_json(server.port());
  EXPECT_EQ(s["deadline_exceeded"].at("queued").to_number<std::uint64_t>(), 1u);
}

TEST(Deadlines, WorkRunningPastItsDeadlineIs504) {
  TestServer server;
  auto r = http_get(server.port(), std::string(kHeavyCpuTarget) + "&timeout_ms=20");
  EXPECT_EQ(r.result(), http::status::gateway_timeout);
  EXPECT_EQ(stats_json(server.port())["deadline_exceeded"].at("running").to_number<std::uint64_t>(),
            1u);
  auto bad = http_get(server.port(), "/cpu/primes?n=10&timeout_ms=0");
  EXPECT_EQ(bad.result(), http::status::bad_request);
  RawClient c(server.port());
  c.send(get_request("/cpu/primes?n=10", "X-Timeout-Ms: soon\r\n"));
  auto h = c.read_response();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->result(), http::status::bad_request);
  EXPECT_EQ(http_get(server.port(), "/cpu/primes?n=10&timeout_ms=5000").result(), http::status::ok);
}

// Offered load far past capacity: the queue bound turns the excess into
// 503s at once, while health checks and I/O endpoints stay prompt.
TEST(Overload, ExcessGets503AndHealthStaysFast) {
  Config cfg = test_config();
  cfg.workers = 1;
  cfg.queue = 4;
  TestServer server(cfg);
  std::vector<std::unique_ptr<RawClient>> flood;
  for (int i = 0; i < 40; ++i) {
    flood.push_back(std::make_unique<RawClient>(server.port()));
    flood.back()->send(get_request("/cpu/primes?n=300000000&split=1"));
  }
  ASSERT_TRUE(wait_for_pool(server, "the worker busy and CPU work queued",
                            [](const PoolStats& s) { return s.busy == 1 && s.queued >= 1; }));
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(http_get(server.port(), "/healthz").result(), http::status::ok);
  }
  // Answered while CPU work still waited: health checks do not queue behind it.
  const auto pool = server.server().pool_stats();
  EXPECT_GT(pool.busy + pool.queued, 0u);
  int ok = 0, overloaded = 0;
  for (auto& c : flood) {
    auto r = c->read_response(120s);
    ASSERT_TRUE(r);
    if (r->result() == http::status::ok) ++ok;
    if (r->result() == http::status::service_unavailable) {
      ++overloaded;
      EXPECT_EQ((*r)[http::field::retry_after], "1");
    }
  }
  EXPECT_EQ(ok + overloaded, 40);
  EXPECT_GE(overloaded, 30);
  EXPECT_GE(ok, 1);
  // Recovered: the next request is served normally.
  EXPECT_EQ(http_get(server.port(), "/cpu/primes?n=1000").result(), http::status::ok);
  EXPECT_EQ(server.server().pool_stats().queued, 0u);
}

}  // namespace
}  // namespace coroserve::test
