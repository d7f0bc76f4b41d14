#pragma once
// A real coroserve on an ephemeral loopback port, run in-process on its own
// thread, so tests talk real HTTP to it and sanitizers see both sides.
#include <cstdint>
#include <memory>
#include <thread>

#include "server/config.hpp"
#include "server/server.hpp"

namespace coroserve::test {

// Defaults for tests: loopback, port 0, two workers, quiet logs.
Config test_config();

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

}  // namespace coroserve::test
