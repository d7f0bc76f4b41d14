#include "tests/support/test_server.hpp"

#include <spdlog/spdlog.h>

#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"

namespace coroserve::test {

Config test_config() {
  Config c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.workers = 2;
  c.worker_nice = 0;
  c.log_level = "off";
  return c;
}

TestServer::TestServer(Config config) {
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  server_ = std::make_unique<Server>(std::move(config));
  thread_ = std::thread([this] { server_->run(); });
}

TestServer::~TestServer() {
  if (thread_.joinable()) stop_and_join();
}

void TestServer::stop_and_join() {
  server_->request_stop();
  join();
}

void TestServer::join() {
  if (thread_.joinable()) thread_.join();
}

::testing::AssertionResult wait_for_pool(TestServer& server, std::string_view what,
                                         const std::function<bool(const PoolStats&)>& condition,
                                         std::chrono::milliseconds timeout) {
  return wait_for_pool([&] { return server.server().pool_stats(); }, what, condition, timeout);
}

::testing::AssertionResult occupy_a_worker(TestServer& server, RawClient& client) {
  client.send(get_request(kHeavyCpuTarget));
  return wait_for_pool(server, "a worker busy with the heavy CPU request",
                       [](const PoolStats& s) { return s.busy == 1; });
}

}  // namespace coroserve::test
