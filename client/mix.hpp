#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "client/target_url.hpp"

namespace corobench {

// One weighted line of a request mix file:
//   weight method url [body]
// e.g. "3 GET /plaintext" or "1 POST /echo {\"a\": 1}". `#` starts a
// comment line; blank lines are skipped. The body is the rest of the line.
struct MixLine {
  unsigned weight = 1;
  std::string method;
  Target target;  // resolved against the run's URL
  std::string body;
  std::size_t line_no = 0;  // 1-based, for messages
};

inline constexpr unsigned kMaxMixWeight = 1'000'000;

// Parses a mix file's text. `source` names it in messages ("mix.txt:3: ...").
// Throws UsageError with the file, line and reason for every bad line.
std::vector<MixLine> parse_mix(std::string_view text, std::string_view source, const Target& base);

// Reads and parses a file; throws UsageError if it cannot be read.
std::vector<MixLine> load_mix_file(const std::string& path, const Target& base);

// Picks indexes in proportion to their weights, deterministically and evenly
// spread (nginx's smooth weighted round-robin): weights 3,1 give
// 0,0,1,0, 0,0,1,0, ... so a run of -n N with N a multiple of the weight sum
// hits each line exactly in proportion. O(lines) per pick; mixes are short.
class WeightedPicker {
 public:
  explicit WeightedPicker(std::vector<unsigned> weights);
  std::size_t next() noexcept;

 private:
  std::vector<long long> weights_;
  std::vector<long long> current_;
  long long total_ = 0;
};

}  // namespace corobench
