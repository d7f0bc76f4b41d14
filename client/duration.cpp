#include "client/duration.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "client/errors.hpp"

namespace corobench {

namespace {

// Nanoseconds per unit; nothing for an unknown unit.
std::optional<double> unit_scale(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1e9;
  if (unit == "ms") return 1e6;
  if (unit == "us") return 1e3;
  if (unit == "ns") return 1;
  if (unit == "m") return 60e9;
  if (unit == "h") return 3600e9;
  return std::nullopt;
}

}  // namespace

std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what) {
  auto bad = [&]() -> UsageError {
    return UsageError("invalid " + std::string(what) + " '" + std::string(text) +
                      "': expected a number with a unit, e.g. 10s, 250ms, 2m, 1h");
  };
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc{} || ptr == begin || !std::isfinite(value) || value < 0) throw bad();
  const auto scale = unit_scale(std::string_view(ptr, static_cast<std::size_t>(end - ptr)));
  if (!scale) throw bad();
  const double ns = value * *scale;
  if (ns > 1e18) throw bad();
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

}  // namespace corobench
