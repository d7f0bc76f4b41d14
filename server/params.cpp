#include "server/params.hpp"

#include <stdexcept>

#include "server/http_types.hpp"

namespace coroserve {

namespace {

// Each word of "a|b|c", in order.
std::vector<std::string_view> words(std::string_view choices) {
  std::vector<std::string_view> out;
  while (!choices.empty()) {
    const auto bar = choices.find('|');
    out.push_back(choices.substr(0, bar));
    choices = bar == std::string_view::npos ? std::string_view{} : choices.substr(bar + 1);
  }
  return out;
}

std::string default_of(const Param& p) {
  if (!p.choices.empty()) return std::string(words(p.choices).front());
  if (!p.fallback_text.empty()) return std::string(p.fallback_text);
  return std::to_string(p.fallback);
}

std::string range_of(const Param& p) {
  if (!p.choices.empty()) return std::string(p.choices);
  return std::to_string(p.min) + ".." + std::to_string(p.max);
}

}  // namespace

Params Params::read(const QueryParams& query, ParamTable table) {
  std::vector<std::string_view> names;
  for (const auto& p : table) names.push_back(p.name);
  query.allow_only(names);
  Params out;
  out.values_.reserve(table.size());
  for (const auto& p : table) {
    Value v{&p, query.has(p.name), p.fallback, {}};
    if (!p.choices.empty()) {
      v.word = query.get_choice(p.name, words(p.choices));
    } else if (v.given) {
      v.number = query.get_uint(p.name, p.fallback, p.min, p.max);
    }
    out.values_.push_back(v);
  }
  return out;
}

const Params::Value& Params::find(std::string_view name) const {
  for (const auto& v : values_) {
    if (v.param->name == name) return v;
  }
  throw std::logic_error("no parameter '" + std::string(name) + "' in the endpoint's table");
}

std::uint64_t Params::number(std::string_view name) const {
  return find(name).number;
}

std::uint64_t Params::number_or(std::string_view name, std::uint64_t run_time_default) const {
  const auto& v = find(name);
  return v.given ? v.number : run_time_default;
}

std::optional<std::uint64_t> Params::given(std::string_view name) const {
  const auto& v = find(name);
  return v.given ? std::optional(v.number) : std::nullopt;
}

std::string_view Params::choice(std::string_view name) const {
  return find(name).word;
}

std::string usage(ParamTable table) {
  std::string out;
  for (const auto& p : table) {
    out.append(out.empty() ? "?" : "&").append(p.name).append("=").append(range_of(p));
    if (p.choices.empty()) out.append(" (").append(default_of(p)).append(")");
  }
  return out;
}

std::vector<std::string> describe_params(ParamTable table) {
  std::vector<std::string> out;
  for (const auto& p : table) {
    std::string line = "`";
    line.append(p.name).append("` ").append(range_of(p)).append(" (");
    line.append(default_of(p)).append("): ").append(p.help);
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace coroserve
