// Each endpoint's answer and its parameter validation, over real HTTP.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_server.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
namespace json = boost::json;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class Endpoints : public ::testing::Test {
 protected:
  json::object get_json(const std::string& target, http::status expected = http::status::ok) {
    auto r = http_get(server.port(), target);
    EXPECT_EQ(r.result(), expected) << target << ": " << r.body();
    EXPECT_EQ(r[http::field::content_type], "application/json") << target;
    return json::parse(r.body()).as_object();
  }
  TestServer server;
};

TEST_F(Endpoints, HealthAndReadiness) {
  EXPECT_EQ(get_json("/healthz")["status"].as_string(), "ok");
  EXPECT_EQ(get_json("/readyz")["status"].as_string(), "ready");
}

TEST_F(Endpoints, SleepWaitsAboutAsLongAsAsked) {
  auto o = get_json("/io/sleep?ms=30");
  EXPECT_EQ(o["requested_ms"].as_int64(), 30);
  // A timer never fires early; how late it fires is the machine's business.
  EXPECT_GE(o["slept_us"].as_int64(), 30'000);
  get_json("/io/sleep?ms=10001", http::status::bad_request);
  get_json("/io/sleep?ms=abc", http::status::bad_request);
}

TEST_F(Endpoints, FanoutWaitsConcurrentlyNotOneAfterTheOther) {
  auto o = get_json("/io/fanout?n=200&ms=100");
  EXPECT_EQ(o["n"].as_int64(), 200);
  // The waits sum to ~10 s, the longest is 100 ms. Waited one after the
  // other they cannot end sooner than their sum, since no timer fires early:
  // ending before it is what only concurrent waits can do, however slow the
  // machine (short of a 10 s stall).
  EXPECT_EQ(o["sequential_us"].as_int64(), 10'050'000);
  EXPECT_GE(o["elapsed_us"].as_int64(), 100'000);
  EXPECT_LT(o["elapsed_us"].as_int64(), o["sequential_us"].as_int64());
  get_json("/io/fanout?n=0", http::status::bad_request);
  get_json("/io/fanout?n=1001", http::status::bad_request);
}

TEST_F(Endpoints, PrimesCountsAndSplitsGiveTheSameAnswer) {
  for (const char* split : {"1", "2", "7", "64"}) {
    auto o = get_json(std::string("/cpu/primes?n=1000000&split=") + split);
    EXPECT_EQ(o["primes"].as_int64(), 78498) << split;
    EXPECT_EQ(o["where"].as_string(), "pool");
    EXPECT_EQ(o["parts"].as_int64(), std::stoll(split));
    EXPECT_GE(o["compute_us"].as_int64(), 0);
    EXPECT_GE(o["queue_wait_us"].as_int64(), 0);
  }
  auto loop = get_json("/cpu/primes?n=1000000&where=loop");
  EXPECT_EQ(loop["primes"].as_int64(), 78498);
  EXPECT_EQ(loop["where"].as_string(), "loop");
  EXPECT_EQ(get_json("/cpu/primes?n=0")["primes"].as_int64(), 0);
  EXPECT_EQ(get_json("/cpu/primes?n=2&split=64")["primes"].as_int64(), 1);
}

TEST_F(Endpoints, PrimesValidatesItsParameters) {
  auto e = get_json("/cpu/primes?n=2000000001", http::status::bad_request);
  EXPECT_EQ(e["error"].as_string(), "invalid_parameter");
  EXPECT_THAT(std::string(e["detail"].as_string()), HasSubstr("'n'"));
  get_json("/cpu/primes?split=0", http::status::bad_request);
  get_json("/cpu/primes?split=65", http::status::bad_request);
  get_json("/cpu/primes?where=gpu", http::status::bad_request);
  get_json("/cpu/primes?nn=5", http::status::bad_request);
  get_json("/cpu/primes?n=5&n=6", http::status::bad_request);
}

TEST_F(Endpoints, HashMatchesAKnownDigest) {
  // One round over the 3-byte seed {0,1,2}.
  auto o = get_json("/cpu/hash?rounds=1&size=3");
  EXPECT_EQ(o["digest"].as_string(),
            "ae4b3280e56e2faf83f414a6e3dabe9d5fbe18976544c05fed121accb85b53fc");
  EXPECT_EQ(o["rounds"].as_int64(), 1);
  auto loop = get_json("/cpu/hash?rounds=1&size=3&where=loop");
  EXPECT_EQ(loop["digest"], o["digest"]);
  get_json("/cpu/hash?rounds=0", http::status::bad_request);
  get_json("/cpu/hash?rounds=20000001", http::status::bad_request);
  get_json("/cpu/hash?size=1048577", http::status::bad_request);
}

TEST_F(Endpoints, MandelbrotIsAPngOfTheAskedSize) {
  auto r = http_get(server.port(), "/cpu/mandelbrot?w=320&h=200&iter=64&split=3");
  ASSERT_EQ(r.result(), http::status::ok);
  EXPECT_EQ(r[http::field::content_type], "image/png");
  ASSERT_GT(r.body().size(), 24u);
  EXPECT_EQ(r.body().substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](std::size_t at) {
    const auto* b = reinterpret_cast<const unsigned char*>(r.body().data() + at);
    return (b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
  };
  EXPECT_EQ(be32(16), 320);
  EXPECT_EQ(be32(20), 200);
  EXPECT_EQ(r["X-Where"], "pool");
  EXPECT_EQ(r["X-Parts"], "3");
  EXPECT_FALSE(r["X-Compute-Us"].empty());
  // Same image whichever way it is split or wherever it runs.
  auto one = http_get(server.port(), "/cpu/mandelbrot?w=320&h=200&iter=64&split=1&where=loop");
  EXPECT_EQ(one.body(), r.body());
  EXPECT_EQ(one["X-Where"], "loop");
  get_json("/cpu/mandelbrot?w=2049", http::status::bad_request);
  get_json("/cpu/mandelbrot?w=2048&h=2048&iter=10000", http::status::bad_request);
}

TEST(ImageMemory, ARenderPastTheWholeBudgetIs400AndTheBudgetIsGivenBack) {
  Config cfg = test_config();
  cfg.max_image_bytes = 1 << 20;  // 1 MiB: a 400x300 render needs 9 B/px = 1.08 MB
  TestServer server(cfg);
  auto big = http_get(server.port(), "/cpu/mandelbrot?w=400&h=300");
  EXPECT_EQ(big.result(), http::status::bad_request);
  EXPECT_THAT(big.body(), HasSubstr("--max-image-bytes"));
  EXPECT_EQ(http_get(server.port(), "/cpu/mandelbrot?w=300&h=300").result(), http::status::ok);
  // The budget is given back after each render.
  EXPECT_EQ(http_get(server.port(), "/cpu/mandelbrot?w=300&h=300").result(), http::status::ok);
}

TEST(CpuOnLoopDisabled, WhereLoopIsForbidden) {
  Config cfg = test_config();
  cfg.cpu_on_loop = false;
  TestServer server(cfg);
  auto r = http_get(server.port(), "/cpu/primes?n=100&where=loop");
  EXPECT_EQ(r.result(), http::status::forbidden);
  EXPECT_EQ(json::parse(r.body()).at("error").as_string(), "cpu_on_loop_disabled");
  EXPECT_EQ(http_get(server.port(), "/cpu/primes?n=100").result(), http::status::ok);
}

}  // namespace
}  // namespace coroserve::test
