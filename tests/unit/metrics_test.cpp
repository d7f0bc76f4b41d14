#include "server/metrics.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace coroserve {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

TEST(Metrics, CountsRequestsByRouteMethodAndStatus) {
  Metrics m;
  m.record_request("/plaintext", http::verb::get, 200, 100us);
  m.record_request("/plaintext", http::verb::get, 200, 300us);
  m.record_request("/plaintext", http::verb::head, 200, 50us);
  m.record_request("", http::verb::unknown, 400, 10us);
  EXPECT_EQ(m.requests_total(), 4u);
  const auto text = m.prometheus_text({});
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_requests_total{route="/plaintext",method="GET",status="200"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_requests_total{route="/plaintext",method="HEAD",status="200"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_requests_total{route="unmatched",method="OTHER",status="400"} 1)"));
  // 50 us and 100 us are within 0.0001 s; 300 us within 0.0005 s.
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_request_duration_seconds_bucket{route="/plaintext",le="0.0001"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_request_duration_seconds_bucket{route="/plaintext",le="0.0005"} 3)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_request_duration_seconds_bucket{route="/plaintext",le="+Inf"} 3)"));
  EXPECT_THAT(text,
              HasSubstr(R"(coroserve_http_request_duration_seconds_count{route="/plaintext"} 3)"));
}

// The last route is remembered: requests that change route, and routes
// added while others are remembered (a rehash), still count where they belong.
TEST(Metrics, CountsEachRouteApartWhateverTheOrder) {
  Metrics m;
  for (int i = 0; i < 40; ++i) {
    const std::string route = "/r" + std::to_string(i % 20);
    m.record_request(route, http::verb::get, 200, 10us);
    m.record_request("/plaintext", http::verb::get, 200, 10us);
  }
  const auto text = m.prometheus_text({});
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(coroserve_http_requests_total{route="/plaintext",method="GET",status="200"} 40)"));
  EXPECT_THAT(
      text, HasSubstr(R"(coroserve_http_requests_total{route="/r0",method="GET",status="200"} 2)"));
  EXPECT_THAT(
      text,
      HasSubstr(R"(coroserve_http_requests_total{route="/r19",method="GET",status="200"} 2)"));
}

TEST(Metrics, ReportsScrapeInputsAndCounters) {
  Metrics m;
  m.cpu_on_loop = 3;
  m.deadline_queued = 2;
  ScrapeInputs in;
  in.pool.threads = 4;
  in.pool.busy = 1;
  in.pool.queued = 7;
  in.pool.skipped = 5;
  in.connections_open = 9;
  in.draining = true;
  const auto text = m.prometheus_text(in);
  EXPECT_THAT(text, HasSubstr("coroserve_pool_threads 4\n"));
  EXPECT_THAT(text, HasSubstr("coroserve_pool_busy_threads 1\n"));
  EXPECT_THAT(text, HasSubstr("coroserve_pool_queue_depth 7\n"));
  EXPECT_THAT(text, HasSubstr(R"(coroserve_pool_tasks_total{outcome="skipped"} 5)"));
  EXPECT_THAT(text, HasSubstr("coroserve_connections_open 9\n"));
  EXPECT_THAT(text, HasSubstr("coroserve_cpu_on_loop_total 3\n"));
  EXPECT_THAT(text, HasSubstr(R"(coroserve_deadline_exceeded_total{stage="queued"} 2)"));
  EXPECT_THAT(text, HasSubstr("coroserve_draining 1\n"));
  auto j = m.stats_json(in);
  EXPECT_EQ(j["pool"].at("queued").to_number<int>(), 7);
  EXPECT_EQ(j["connections"].at("open").to_number<int>(), 9);
}

TEST(Metrics, LoopLagKeepsTheRecentMaximum) {
  Metrics m;
  m.record_loop_lag(1ms);
  m.record_loop_lag(250ms);
  m.record_loop_lag(2ms);
  EXPECT_EQ(m.loop_lag_last(), 2ms);
  EXPECT_EQ(m.loop_lag_recent_max(), 250ms);
  for (std::size_t i = 0; i < Metrics::kRecentLagSamples; ++i) m.record_loop_lag(1ms);
  EXPECT_EQ(m.loop_lag_recent_max(), 1ms);  // the stall has aged out of the window
}

}  // namespace
}  // namespace coroserve
