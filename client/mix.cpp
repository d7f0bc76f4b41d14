#include "client/mix.hpp"

#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "client/errors.hpp"

namespace corobench {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

// Splits off the next whitespace-separated field of `rest`.
std::string_view next_field(std::string_view& rest) {
  std::size_t i = 0;
  while (i < rest.size() && is_space(rest[i])) ++i;
  std::size_t j = i;
  while (j < rest.size() && !is_space(rest[j])) ++j;
  const std::string_view field = rest.substr(i, j - i);
  rest.remove_prefix(j);
  return field;
}

// RFC 9110 §5.6.2 token characters: what a method may be made of.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

constexpr std::string_view kExpected = "(expected: weight method url [body])";

// A bad line: the file, the line number and the reason.
[[noreturn]] void fail(std::string_view source, std::size_t line_no, const std::string& why) {
  throw UsageError(std::string(source) + ":" + std::to_string(line_no) + ": " + why);
}

unsigned parse_weight(std::string_view field, std::string_view source, std::size_t line_no) {
  unsigned weight = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, weight);
  if (ec != std::errc{} || ptr != end || weight == 0 || weight > kMaxMixWeight) {
    fail(source, line_no,
         "weight must be an integer from 1 to " + std::to_string(kMaxMixWeight) + ", got '" +
             std::string(field) + "' " + std::string(kExpected));
  }
  return weight;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// One line of the file; nothing for a blank or comment line.
std::optional<MixLine> parse_line(std::string_view line, std::size_t line_no,
                                  std::string_view source, const Target& base) {
  std::string_view rest = line;
  const std::string_view weight = next_field(rest);
  if (weight.empty() || weight.front() == '#') return std::nullopt;
  MixLine m;
  m.line_no = line_no;
  m.weight = parse_weight(weight, source, line_no);
  const std::string_view method = next_field(rest);
  if (method.empty()) fail(source, line_no, "missing method and url " + std::string(kExpected));
  if (!is_token(method)) fail(source, line_no, "invalid method '" + std::string(method) + "'");
  const std::string_view url = next_field(rest);
  if (url.empty()) fail(source, line_no, "missing url after method '" + std::string(method) + "'");
  m.method = std::string(method);
  try {
    m.target = resolve_against(base, url);
  } catch (const UsageError& e) {
    fail(source, line_no, e.what());
  }
  m.body = std::string(trim(rest));
  return m;
}

}  // namespace

std::vector<MixLine> parse_mix(std::string_view text, std::string_view source, const Target& base) {
  std::vector<MixLine> out;
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (auto m = parse_line(line, line_no, source, base)) out.push_back(std::move(*m));
  }
  if (out.empty()) {
    throw UsageError(std::string(source) +
                     ": no request lines (expected lines of: weight method url [body])");
  }
  return out;
}

std::vector<MixLine> load_mix_file(const std::string& path, const Target& base) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read mix file '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_mix(ss.str(), path, base);
}

WeightedPicker::WeightedPicker(std::vector<unsigned> weights)
    : weights_(weights.begin(), weights.end()), current_(weights.size(), 0) {
  for (long long w : weights_) total_ += w;
}

std::size_t WeightedPicker::next() noexcept {
  if (weights_.size() <= 1) return 0;
  std::size_t best = 0;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    current_[i] += weights_[i];
    if (current_[i] > current_[best]) best = i;
  }
  current_[best] -= total_;
  return best;
}

}  // namespace corobench
