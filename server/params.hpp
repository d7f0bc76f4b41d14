#pragma once
// The query parameters of an endpoint, declared once as a table (name,
// range, default, help). Everything reads that table: the check of every
// request, GET /'s list of endpoints and the README's endpoint table. A
// parameter that sets the cost of a request is capped here, and a request
// past a cap gets 400 with a JSON error that names the parameter and range.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/query_params.hpp"

namespace coroserve {

struct Param {
  std::string_view name;
  // A number in [min, max], `fallback` when absent...
  std::uint64_t min = 0;
  std::uint64_t max = 0;
  std::uint64_t fallback = 0;
  // ...unless the default is decided at run time; this says by what ("workers").
  std::string_view fallback_text = {};
  // Or one of these words ("pool|loop"); the first is the default.
  std::string_view choices = {};
  std::string_view help = {};
};

using ParamTable = std::span<const Param>;

// A request's parameters, read and checked against its endpoint's table.
class Params {
 public:
  Params() = default;
  // Throws HttpError(400) for a name not in the table (a typo is an error,
  // not a silent default), a number out of range or an unknown choice.
  static Params read(const QueryParams& query, ParamTable table);

  // The number given, or the table's default.
  std::uint64_t number(std::string_view name) const;
  // The number given, or `run_time_default` (for a `fallback_text` one).
  std::uint64_t number_or(std::string_view name, std::uint64_t run_time_default) const;
  // The number given, or nullopt.
  std::optional<std::uint64_t> given(std::string_view name) const;
  // The word given, or the first choice.
  std::string_view choice(std::string_view name) const;

 private:
  struct Value {
    const Param* param;
    bool given;
    std::uint64_t number;
    std::string_view word;  // points into the table's choices
  };
  const Value& find(std::string_view name) const;
  std::vector<Value> values_;
};

// "?n=0..2000000000 (10000000)&where=pool|loop": the parameters as GET /
// shows them; "" when there are none.
std::string usage(ParamTable table);

// "n: 0..2000000000, default 10000000; counts primes up to n" for each
// parameter, one per line, for the README's endpoint table.
std::vector<std::string> describe_params(ParamTable table);

}  // namespace coroserve
