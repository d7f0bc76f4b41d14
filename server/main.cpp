// coroserve: parses the flags, sets up logging, runs the server until it has
// drained after SIGINT/SIGTERM. Exit 2 for a certificate or key it cannot use,
// 1 for anything else that stops it (an address in use; with the io_uring
// build, a kernel that refuses io_uring: the message says what to do).
#include <spdlog/spdlog.h>

#include <exception>

#include "common/logging.hpp"
#include "server/config.hpp"
#include "server/server.hpp"
#include "server/tls/context.hpp"

int main(int argc, char** argv) {
  int exit_code = 0;
  auto config = coroserve::parse_config(argc, argv, exit_code);
  if (!config) return exit_code;
  try {
    coroserve::setup_logging(config->log_level, "coroserve");
    coroserve::Server server(*config, /*handle_signals=*/true);
    server.run();
  } catch (const coroserve::tls::SetupError& e) {
    // A certificate or key that cannot be used is a usage error: exit 2.
    spdlog::critical("coroserve: {}", e.what());
    coroserve::shutdown_logging();
    return 2;
  } catch (const std::exception& e) {
    spdlog::critical("coroserve: {}", e.what());
    coroserve::shutdown_logging();
    return 1;
  }
  coroserve::shutdown_logging();
  return 0;
}
