#pragma once
#include <cstdint>
#include <string_view>

namespace coroserve {

// Sets up the process-wide spdlog logger. Log lines are handed to a
// background thread (spdlog's async logger) so that the event loop never
// waits on a write to stderr; if that thread falls behind, the oldest
// queued lines are dropped rather than blocking the loop.
// `level` is one of trace, debug, info, warn, error, critical, off.
// Throws std::invalid_argument on an unknown level.
void setup_logging(std::string_view level, std::string_view name);

// Log lines dropped so far because the background thread fell behind (the
// queue overran its oldest lines); 0 before setup_logging. Takes the log
// queue's lock for a moment: for scrapes, not for every request.
std::uint64_t dropped_log_lines();

// Flushes and stops the background thread; call before exit.
void shutdown_logging();

}  // namespace coroserve
