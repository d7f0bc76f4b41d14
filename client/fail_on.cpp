#include "client/fail_on.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "client/errors.hpp"

namespace corobench {

namespace {

struct Name {
  std::string_view text;
  GateMetric metric;
};
constexpr std::array<Name, 12> kNames = {{{"p50", GateMetric::p50},
                                          {"p90", GateMetric::p90},
                                          {"p99", GateMetric::p99},
                                          {"p999", GateMetric::p999},
                                          {"p99.9", GateMetric::p999},
                                          {"max", GateMetric::max},
                                          {"errors", GateMetric::errors},
                                          {"non2xx", GateMetric::non2xx},
                                          {"rps", GateMetric::rps},
                                          {"goodput", GateMetric::goodput},
                                          {"late", GateMetric::late},
                                          {"dropped", GateMetric::dropped}}};

constexpr const char* kForm =
    "expected NAME>VALUE or NAME<VALUE, NAME one of p50, p90, p99, p999, max (with us, ms or "
    "s), errors, non2xx, late, dropped (a count or a %), rps, goodput (per second)";

std::optional<GateMetric> metric_named(std::string_view s) {
  for (const Name& n : kNames) {
    if (n.text == s) return n.metric;
  }
  return std::nullopt;
}

// Microseconds per latency unit; nothing for anything else.
std::optional<double> us_per(std::string_view unit) {
  if (unit == "us") return 1.0;
  if (unit == "ms") return 1e3;
  if (unit == "s") return 1e6;
  return std::nullopt;
}

std::string strip_spaces(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t') out += c;
  }
  return out;
}

UsageError bad(const std::string& text, const std::string& why) {
  return UsageError("invalid --fail-on threshold '" + text + "': " + why);
}

// The limit and what follows it: "50ms" -> 50, "ms".
void read_limit(Threshold& t, std::string_view value) {
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, t.limit);
  if (ec != std::errc{} || ptr == value.data() || !std::isfinite(t.limit) || t.limit < 0) {
    throw bad(t.text, "the limit must be a number of 0 or more");
  }
  const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
  if (is_latency(t.metric)) {
    const auto scale = us_per(unit);
    if (!scale) throw bad(t.text, "a latency needs a unit: us, ms or s (e.g. p99>50ms)");
    t.limit *= *scale;
  } else if (unit == "%") {
    if (t.metric == GateMetric::rps || t.metric == GateMetric::goodput) {
      throw bad(t.text, "a rate is a number of answers per second, not a percent");
    }
    t.percent = true;
  } else if (!unit.empty()) {
    throw bad(t.text, "unexpected '" + std::string(unit) + "' after the number");
  }
}

Threshold parse_one(std::string_view raw) {
  Threshold t;
  t.text = strip_spaces(raw);
  if (t.text.empty()) throw UsageError("invalid --fail-on: an empty threshold (a stray comma?)");
  const auto op = t.text.find_first_of("<>");
  if (op == std::string::npos) throw bad(t.text, kForm);
  const auto metric = metric_named(std::string_view(t.text).substr(0, op));
  if (!metric) throw bad(t.text, kForm);
  t.metric = *metric;
  t.above = t.text[op] == '>';
  read_limit(t, std::string_view(t.text).substr(op + 1));
  return t;
}

}  // namespace

bool is_latency(GateMetric m) noexcept {
  return m == GateMetric::p50 || m == GateMetric::p90 || m == GateMetric::p99 ||
         m == GateMetric::p999 || m == GateMetric::max;
}

std::string_view to_string(GateMetric m) noexcept {
  for (const Name& n : kNames) {
    if (n.metric == m) return n.text;
  }
  return "unknown";
}

std::vector<Threshold> parse_fail_on(const std::vector<std::string>& specs) {
  std::vector<Threshold> out;
  for (const std::string& spec : specs) {
    std::string_view rest = spec;
    for (;;) {
      const auto comma = rest.find(',');
      out.push_back(parse_one(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return out;
}

void check_schedule_gates(const std::vector<Threshold>& thresholds, bool open_loop) {
  if (open_loop) return;
  for (const Threshold& t : thresholds) {
    if (t.metric == GateMetric::late || t.metric == GateMetric::dropped) {
      throw UsageError("--fail-on '" + t.text + "' needs an open loop (-R): a closed loop sends " +
                       "each request when the last is answered, never late nor dropped");
    }
  }
}

}  // namespace corobench
