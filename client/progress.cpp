#include "client/progress.hpp"

#include <cstdio>

namespace corobench {

std::optional<ProgressMode> parse_progress_mode(std::string_view word) {
  if (word == "auto") return ProgressMode::automatic;
  if (word == "line") return ProgressMode::line;
  if (word == "lines") return ProgressMode::lines;
  if (word == "off") return ProgressMode::off;
  return std::nullopt;
}

ProgressMode resolve(ProgressMode m, bool terminal) noexcept {
  if (m != ProgressMode::automatic) return m;
  return terminal ? ProgressMode::line : ProgressMode::off;
}

std::string ProgressLine::format(double elapsed_s, bool warming_up, double rate,
                                 std::uint64_t responses, std::uint64_t errors) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "[%6.1fs]%s %10.0f req/s  %12llu responses  %8llu errors",
                elapsed_s, warming_up ? " warmup" : "", rate,
                static_cast<unsigned long long>(responses),
                static_cast<unsigned long long>(errors));
  return buf;
}

void ProgressLine::update(std::chrono::steady_clock::duration elapsed, bool warming_up,
                          std::uint64_t responses, std::uint64_t errors) {
  if (mode_ != ProgressMode::line && mode_ != ProgressMode::lines) return;
  const double t = std::chrono::duration<double>(elapsed).count();
  const double dt = t - last_elapsed_;
  const double rate = dt > 0 ? static_cast<double>(responses - last_responses_) / dt : 0.0;
  last_elapsed_ = t;
  last_responses_ = responses;
  const std::string text = format(t, warming_up, rate, responses, errors);
  if (mode_ == ProgressMode::lines) {
    std::fprintf(stderr, "%s\n", text.c_str());
    std::fflush(stderr);
    return;
  }
  // \r and erase-to-end-of-line: the line is redrawn in place.
  std::fprintf(stderr, "\r\033[K%s", text.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void ProgressLine::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace corobench
