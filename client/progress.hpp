#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corobench {

// --progress: `line` is rewritten in place with \r (for a terminal),
// `lines` prints one line a second (for logs), `automatic` is `line` on a
// terminal and `off` otherwise, so that pipes get no control characters.
enum class ProgressMode : std::uint8_t { automatic, line, lines, off };

// The mode named by --progress's word (auto, line, lines, off), or nothing.
std::optional<ProgressMode> parse_progress_mode(std::string_view word);

// What `automatic` means where stderr is (or is not) a terminal.
ProgressMode resolve(ProgressMode m, bool terminal) noexcept;

// The progress on stderr while a run goes, once a second: elapsed time,
// requests/s over the last second, totals, errors.
class ProgressLine {
 public:
  explicit ProgressLine(ProgressMode mode) : mode_(mode) {}
  void update(std::chrono::steady_clock::duration elapsed, bool warming_up, std::uint64_t responses,
              std::uint64_t errors);
  void clear();

  // The text of one line, without control characters (for tests).
  static std::string format(double elapsed_s, bool warming_up, double rate, std::uint64_t responses,
                            std::uint64_t errors);

 private:
  ProgressMode mode_;
  bool shown_ = false;
  double last_elapsed_ = 0;
  std::uint64_t last_responses_ = 0;
};

}  // namespace corobench
