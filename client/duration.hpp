#pragma once
#include <chrono>
#include <string_view>

namespace corobench {

// "10s", "250ms", "1.5m", "1h", "500us"; a bare number means seconds.
// Throws UsageError naming `what` on anything else or a negative value.
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what);

}  // namespace corobench
