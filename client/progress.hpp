#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace corobench {

// The live line on stderr while a run goes: elapsed time, requests/s over the
// last second, totals, errors. Rewritten in place with \r; silent when not
// enabled (main enables it only when stderr is a terminal, so logs and pipes
// get no control characters).
class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  void update(std::chrono::steady_clock::duration elapsed, bool warming_up, std::uint64_t responses,
              std::uint64_t errors);
  void clear();

  // The text of one line, without control characters (for tests).
  static std::string format(double elapsed_s, bool warming_up, double rate, std::uint64_t responses,
                            std::uint64_t errors);

 private:
  bool enabled_;
  bool shown_ = false;
  double last_elapsed_ = 0;
  std::uint64_t last_responses_ = 0;
};

}  // namespace corobench
