#pragma once
// A real coroserve on an ephemeral loopback port, run in-process on its own
// thread, so tests talk real HTTP to it and sanitizers see both sides.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>

#include "server/config.hpp"
#include "server/server.hpp"

namespace coroserve::test {

class RawClient;

// Defaults for tests: loopback, port 0, two workers, quiet logs.
Config test_config();

// A CPU request that keeps one worker busy for ~0.5-1 s here (far longer
// under the sanitizers): long enough to arrange other requests around it.
// It counts 74,726,528 primes.
inline constexpr std::string_view kHeavyCpuTarget = "/cpu/primes?n=1500000000&split=1";

class TestServer {
 public:
  explicit TestServer(Config config = test_config());
  ~TestServer();  // drains and joins if the test did not
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  // Starts the graceful drain (what SIGTERM does) and waits for run() to end.
  void stop_and_join();
  void request_stop() { server_->request_stop(); }
  bool stopped() const { return !thread_.joinable(); }
  void join();

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// wait_for_pool (server_stats.hpp) on this server's worker pool.
[[nodiscard]] ::testing::AssertionResult wait_for_pool(
    TestServer& server, std::string_view what,
    const std::function<bool(const PoolStats&)>& condition,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Sends kHeavyCpuTarget on `client` and waits until a worker has taken it.
// With one worker, the CPU requests sent next then wait in the queue behind
// it: how tests arrange work that waits.
[[nodiscard]] ::testing::AssertionResult occupy_a_worker(TestServer& server, RawClient& client);

}  // namespace coroserve::test
