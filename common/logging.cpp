#include "common/logging.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

namespace coroserve {

void setup_logging(std::string_view level, std::string_view name) {
  const auto lvl = spdlog::level::from_str(std::string(level));
  // from_str maps unknown names to "off"; only "off" itself may mean off.
  if (lvl == spdlog::level::off && level != "off") {
    throw std::invalid_argument("unknown log level '" + std::string(level) + "'");
  }
  if (!spdlog::thread_pool()) {
    spdlog::init_thread_pool(8192, 1);
  }
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  auto logger =
      std::make_shared<spdlog::async_logger>(std::string(name), sink, spdlog::thread_pool(),
                                             spdlog::async_overflow_policy::overrun_oldest);
  logger->set_level(lvl);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

std::uint64_t dropped_log_lines() {
  const auto pool = spdlog::thread_pool();
  return pool ? pool->overrun_counter() : 0;
}

void shutdown_logging() {
  // spdlog::shutdown() writes out what is queued and joins the logging
  // thread. Our own reference outlives that join, so the logger is destroyed
  // here and not on the logging thread: its queued messages each hold a
  // reference, and libspdlog's (uninstrumented) count on that thread is a
  // data race as far as ThreadSanitizer can see.
  const auto keep = spdlog::default_logger();
  spdlog::shutdown();
}

}  // namespace coroserve
