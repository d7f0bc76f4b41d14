#pragma once
// Query-string validation. Every parameter that sets the cost of a request
// is read through here with a range, so a request past a cap gets 400 with a
// JSON error that names the parameter and the allowed range.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace coroserve {

class QueryParams {
 public:
  // Parses an encoded query ("a=1&b=2", without '?'), percent-decoding names
  // and values. Throws HttpError(400) on a duplicate name.
  static QueryParams parse(std::string_view encoded_query);

  // Throws HttpError(400) naming the first parameter not in `known`, so a
  // typo ("?spilt=4") is an error rather than a silent default.
  void allow_only(std::span<const std::string_view> known) const;

  // A decimal integer in [min, max]; `fallback` when absent.
  std::uint64_t get_uint(std::string_view name, std::uint64_t fallback, std::uint64_t min,
                         std::uint64_t max) const;

  // One of `choices` (a view of that element); the first when absent.
  std::string_view get_choice(std::string_view name,
                              std::span<const std::string_view> choices) const;

  // The same check for a number that comes from elsewhere (a header).
  static std::uint64_t parse_uint(std::string_view name, std::string_view text, std::uint64_t min,
                                  std::uint64_t max);

  bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace coroserve
