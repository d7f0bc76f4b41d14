// Overload with real clients over TCP, each from its own loopback address
// (127.0.0.2, 127.0.0.3): the clients take turns in the worker queue, a
// client past its cap gets 429, a standing queue sheds new work with 503 at
// once and recovers, a request's later step is never shed, every refusal is
// counted by reason, and a refused connection pauses before its next
// request. What is asserted is order and counts; the one bound on time is
// that nothing is answered within a fifth of a pause that has not ended.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "tests/support/http.hpp"
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

constexpr const char* kClientA = "127.0.0.2";
constexpr const char* kClientB = "127.0.0.3";
// Some milliseconds of one worker here, many more under the sanitizers.
constexpr std::string_view kMediumCpuTarget = "/cpu/primes?n=30000000&split=1";
constexpr std::string_view kLightCpuTarget = "/cpu/primes?n=1000&split=1";

// One worker, and no shedding by time unless a test asks for it.
Config one_worker() {
  Config c = test_config();
  c.workers = 1;
  c.queue_target = std::chrono::hours(1);
  return c;
}

std::unique_ptr<RawClient> send_from(TestServer& server, const char* source,
                                     std::string_view target) {
  auto c = std::make_unique<RawClient>(server.port(), "127.0.0.1", source);
  c->send(get_request(target));
  return c;
}

// Sends from `source` and waits until the request is queued behind the others.
std::unique_ptr<RawClient> queue_from(TestServer& server, const char* source,
                                      std::string_view target, std::uint64_t queued_after) {
  auto c = send_from(server, source, target);
  EXPECT_TRUE(wait_for_pool(server, "the request queued",
                            [&](const PoolStats& s) { return s.queued >= queued_after; }));
  return c;
}

TestResponse answer_of(RawClient& c) {
  auto r = c.read_response(120s);
  if (!r) throw std::runtime_error("no answer");
  return std::move(*r);
}

std::int64_t queue_wait_us(RawClient& c) {
  const auto r = answer_of(c);
  EXPECT_EQ(r.result(), http::status::ok) << r.body();
  return json::parse(r.body()).at("queue_wait_us").to_number<std::int64_t>();
}

double shed_count(std::uint16_t port, std::string_view reason) {
  const auto series = "coroserve_requests_shed_total{reason=\"" + std::string(reason) + "\"}";
  return metric_sample(metrics_text(port), series).value_or(-1);
}

bool worker_busy(const PoolStats& s) {
  return s.busy >= 1;
}

TEST(Overload, ClientsFromTwoAddressesTakeTurnsInTheQueue) {
  TestServer server(one_worker());
  auto blocker = send_from(server, kClientA, kHeavyCpuTarget);
  ASSERT_TRUE(wait_for_pool(server, "the blocker running", worker_busy));
  std::vector<std::unique_ptr<RawClient>> a;
  for (std::uint64_t i = 1; i <= 3; ++i)
    a.push_back(queue_from(server, kClientA, kMediumCpuTarget, i));
  auto b = queue_from(server, kClientB, kMediumCpuTarget, 4);
  const auto pool = stats_json(server.port()).at("pool").as_object();
  EXPECT_EQ(pool.at("clients").to_number<int>(), 2);

  ASSERT_EQ(answer_of(*blocker).result(), http::status::ok);
  std::vector<std::int64_t> waits;
  for (auto& c : a) waits.push_back(queue_wait_us(*c));
  const auto b_wait = queue_wait_us(*b);
  // Taking turns, b's one request runs right after a's first, before a's
  // second and third although it came after them: it started earlier and
  // was queued later, so it waited less than either.
  EXPECT_LT(b_wait, waits[1]) << "a waited " << waits[0] << ", " << waits[1] << ", " << waits[2];
  EXPECT_LT(b_wait, waits[2]);
}

TEST(Overload, AClientPastItsCapGets429AndAnotherClientIsServed) {
  Config cfg = one_worker();
  cfg.max_queued_per_client = 1;
  TestServer server(cfg);
  auto blocker = send_from(server, kClientA, kHeavyCpuTarget);
  ASSERT_TRUE(wait_for_pool(server, "the blocker running", worker_busy));
  auto queued = queue_from(server, kClientA, kLightCpuTarget, 1);

  auto over = send_from(server, kClientA, kLightCpuTarget);
  const auto refused = answer_of(*over);
  EXPECT_EQ(refused.result(), http::status::too_many_requests);
  EXPECT_FALSE(refused[http::field::retry_after].empty());
  EXPECT_EQ(json::parse(refused.body()).at("error").as_string(), "too_many_requests");

  auto other = queue_from(server, kClientB, kLightCpuTarget, 2);
  for (auto* c : {blocker.get(), queued.get(), other.get()}) {
    EXPECT_EQ(answer_of(*c).result(), http::status::ok);
  }
  EXPECT_EQ(shed_count(server.port(), "client_cap"), 1);
  const auto shed = stats_json(server.port()).at("shed").as_object();
  EXPECT_EQ(shed.at("client_cap").at("count").to_number<int>(), 1);
  EXPECT_EQ(shed.at("total").to_number<int>(), 1);
}

TEST(Overload, AStandingQueueShedsNewWorkAtOnceAndRecovers) {
  Config cfg = one_worker();
  cfg.queue_target = 1ms;
  cfg.queue_interval = 20ms;
  TestServer server(cfg);
  // One part first, so the pool knows what a part costs: more than 1 ms.
  ASSERT_EQ(http_get(server.port(), kMediumCpuTarget).result(), http::status::ok);
  auto blocker = send_from(server, kClientA, kHeavyCpuTarget);
  ASSERT_TRUE(wait_for_pool(server, "the blocker running", worker_busy));
  std::vector<std::unique_ptr<RawClient>> admitted;
  admitted.push_back(queue_from(server, kClientA, kLightCpuTarget, 1));

  // The queue now stands behind the blocker; once it has for an interval,
  // new work that would wait past the target is refused.
  std::optional<TestResponse> refusal;
  auto queued_or_refused = [&](const PoolStats& s) {
    return s.queued > admitted.size() || s.rejected > 0;
  };
  ASSERT_TRUE(wait_until(
      [&] {
        auto c = send_from(server, kClientB, kLightCpuTarget);
        if (!wait_for_pool(server, "the request queued or refused", queued_or_refused)) {
          ADD_FAILURE() << "neither queued nor refused";
          return true;
        }
        if (server.server().pool_stats().rejected == 0) {
          admitted.push_back(std::move(c));
          return false;
        }
        refusal = answer_of(*c);
        return true;
      },
      10s, "a request refused for its time in queue"));
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->result(), http::status::service_unavailable);
  EXPECT_FALSE((*refusal)[http::field::retry_after].empty());
  EXPECT_EQ(json::parse(refusal->body()).at("error").as_string(), "overloaded");

  for (auto& c : admitted) EXPECT_EQ(answer_of(*c).result(), http::status::ok);
  EXPECT_EQ(answer_of(*blocker).result(), http::status::ok);
  // Recovered: the queue is empty, new work gets in and the shedding ends.
  EXPECT_EQ(http_get(server.port(), kLightCpuTarget).result(), http::status::ok);
  EXPECT_TRUE(
      wait_for_pool(server, "the shedding over", [](const PoolStats& s) { return !s.shedding; }));
  EXPECT_EQ(shed_count(server.port(), "queue_time"), 1);
  const auto metrics = metrics_text(server.port());
  EXPECT_EQ(metric_sample(metrics, R"(coroserve_shed_duration_seconds_count{reason="queue_time"})"),
            1);
}

// Mandelbrot renders, then encodes as a second step: refusing the encode
// would throw the render away, so it passes even a full queue.
TEST(Overload, ALaterStepOfAnAdmittedRequestIsNeverShed) {
  Config cfg = one_worker();
  cfg.queue = 1;
  TestServer server(cfg);
  auto render = send_from(server, kClientA, "/cpu/mandelbrot?w=1024&h=1024&iter=300&split=1");
  ASSERT_TRUE(wait_for_pool(server, "the render running", worker_busy));
  auto filler = queue_from(server, kClientB, kLightCpuTarget, 1);  // the queue is full
  const auto image = answer_of(*render);
  EXPECT_EQ(image.result(), http::status::ok) << image.body();
  EXPECT_EQ(image[http::field::content_type], "image/png");
  EXPECT_EQ(answer_of(*filler).result(), http::status::ok);
  EXPECT_EQ(server.server().pool_stats().rejected, 0u);
}

// A refusal that needs no worker: a 300 x 300 render (810,000 bytes) fits
// a 1 MiB budget alone, not beside another one.
constexpr std::string_view kRender = "/cpu/mandelbrot?w=300&h=300&iter=1";
Config refusing_renders(std::chrono::milliseconds refusal_pause) {
  Config c = one_worker();
  c.max_image_bytes = 1 << 20;
  c.refusal_pause = refusal_pause;
  return c;
}

// A render queued behind a long CPU request holds its memory until it runs,
// so the next render is refused at once.
struct HeldRender {
  std::unique_ptr<RawClient> blocker, render;
};
HeldRender hold_image_budget(TestServer& server) {
  HeldRender held;
  held.blocker = send_from(server, kClientA, kHeavyCpuTarget);
  EXPECT_TRUE(wait_for_pool(server, "the blocker running", worker_busy));
  held.render = queue_from(server, kClientA, kRender, 1);
  return held;
}

TEST(Overload, ImageMemoryRefusalsAreCountedAsShed) {
  TestServer server(refusing_renders(0ms));
  const auto held = hold_image_budget(server);
  const auto r = http_get(server.port(), kRender);
  EXPECT_EQ(r.result(), http::status::service_unavailable);
  EXPECT_EQ(r[http::field::retry_after], "1");
  EXPECT_EQ(shed_count(server.port(), "image_memory"), 1);
  const auto stats = stats_json(server.port());
  EXPECT_EQ(stats.at("shed").at("image_memory").at("count").to_number<int>(), 1);
  // A refusal is timed apart from the route's work (the held render has not
  // been answered yet).
  EXPECT_EQ(stats.at("routes").at("/cpu/mandelbrot").at("requests").to_number<int>(), 1);
  const auto metrics = metrics_text(server.port());
  EXPECT_EQ(
      metric_sample(metrics,
                    R"(coroserve_http_request_duration_seconds_count{route="/cpu/mandelbrot"})"),
      0);
  EXPECT_EQ(answer_of(*held.render).result(), http::status::ok);
}

// A render that could never fit the budget, even alone, is the client's to
// change: 400, not a 503 that asks it to retry.
TEST(Overload, ARenderLargerThanTheWholeBudgetIs400) {
  TestServer server(refusing_renders(0ms));
  const auto r = http_get(server.port(), "/cpu/mandelbrot?w=512&h=512&iter=1");
  EXPECT_EQ(r.result(), http::status::bad_request);
  EXPECT_EQ(json::parse(r.body()).at("error").as_string(), "invalid_parameter");
  EXPECT_THAT(r.body(), HasSubstr("--max-image-bytes"));
  EXPECT_EQ(shed_count(server.port(), "image_memory"), 0);
  EXPECT_EQ(http_get(server.port(), kRender).result(), http::status::ok);
}

// With fewer queue places than workers (--queue, or one client's
// --max-queued-per-client), the default split of one part per worker shrinks
// to what can be queued at once.
TEST(Overload, TheDefaultSplitFitsTheQueueBounds) {
  struct Bounds {
    std::size_t queue, per_client;
    std::int64_t parts;
  };
  for (const Bounds b : {Bounds{2, 256, 2}, Bounds{1024, 1, 1}}) {
    Config cfg = test_config();
    cfg.workers = 4;
    cfg.queue = b.queue;
    cfg.max_queued_per_client = b.per_client;
    TestServer server(cfg);
    const auto r = http_get(server.port(), "/cpu/primes?n=1000");
    ASSERT_EQ(r.result(), http::status::ok) << r.body();
    EXPECT_EQ(json::parse(r.body()).at("parts").as_int64(), b.parts) << r.body();
  }
}

// An explicit split that could never be queued at once is the client's to
// change: 400, not a 503 to retry.
TEST(Overload, ASplitPastTheQueueBoundIs400) {
  Config cfg = test_config();
  cfg.workers = 4;
  cfg.queue = 2;
  TestServer server(cfg);
  const auto too_many = http_get(server.port(), "/cpu/primes?n=1000&split=3");
  EXPECT_EQ(too_many.result(), http::status::bad_request);
  EXPECT_THAT(too_many.body(), HasSubstr("--queue 2"));
  // On the loop nothing is queued.
  EXPECT_EQ(http_get(server.port(), "/cpu/primes?n=1000&split=3&where=loop").result(),
            http::status::ok);
  EXPECT_EQ(server.server().pool_stats().rejected, 0u);
}

// A client that sends its next request right behind a refusal waits: the
// connection is read again only once --refusal-pause-ms has passed, while
// other connections are served meanwhile.
TEST(Overload, ARefusedConnectionIsReadAgainOnlyAfterThePause) {
  TestServer server(refusing_renders(1s));
  const auto held = hold_image_budget(server);
  RawClient c(server.port());
  c.send(get_request(kRender) + get_request("/healthz"));
  EXPECT_EQ(answer_of(c).result(), http::status::service_unavailable);
  EXPECT_FALSE(c.read_response(200ms)) << "the request behind the refusal was read at once";
  EXPECT_EQ(http_get(server.port(), "/healthz").result(), http::status::ok);
  EXPECT_EQ(answer_of(c).result(), http::status::ok);  // once the pause is over
  EXPECT_EQ(shed_count(server.port(), "image_memory"), 1);
}

TEST(Overload, WithNoRefusalPauseTheNextRequestIsReadAtOnce) {
  TestServer server(refusing_renders(0ms));
  const auto held = hold_image_budget(server);
  RawClient c(server.port());
  c.send(get_request(kRender) + get_request("/healthz"));
  EXPECT_EQ(answer_of(c).result(), http::status::service_unavailable);
  const auto next = c.read_response(10s);
  ASSERT_TRUE(next) << "the request behind the refusal got no answer";
  EXPECT_EQ(next->result(), http::status::ok);
}

TEST(Overload, DeadlinesAreCountedAsShed) {
  TestServer server(one_worker());
  auto blocker = send_from(server, kClientA, kHeavyCpuTarget);
  ASSERT_TRUE(wait_for_pool(server, "the blocker running", worker_busy));
  const auto late = http_get(server.port(), std::string(kLightCpuTarget) + "&timeout_ms=1");
  EXPECT_EQ(late.result(), http::status::gateway_timeout);
  EXPECT_EQ(answer_of(*blocker).result(), http::status::ok);
  EXPECT_EQ(shed_count(server.port(), "deadline"), 1);
}

}  // namespace
}  // namespace coroserve::test
