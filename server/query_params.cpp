#include "server/query_params.hpp"

#include <boost/url/parse_query.hpp>

#include <charconv>

#include "common/http_text.hpp"
#include "common/json_error.hpp"
#include "server/http_types.hpp"

namespace coroserve {

namespace {

[[noreturn]] void bad_param(const std::string& detail) {
  throw HttpError(http::status::bad_request, "invalid_parameter", detail);
}

}  // namespace

QueryParams QueryParams::parse(std::string_view encoded_query) {
  QueryParams q;
  if (encoded_query.empty()) return q;
  // A NUL-terminated copy on purpose: Boost.URL 1.81's parse_query rebuilds its
  // view from the bare pointer (strlen), so on a query inside the request
  // buffer it would read on into " HTTP/1.1\r\n...".
  const std::string owned(encoded_query);
  auto parsed = boost::urls::parse_query(owned);
  if (!parsed) bad_param("the query string is not valid: " + parsed.error().message());
  for (const auto& p : *parsed) {
    if (p.key.empty()) {
      if (!p.has_value) continue;  // "a=1&&b=2": an empty segment, harmless
      bad_param("a query parameter has an empty name");
    }
    std::string key = p.key.decode();
    auto [it, inserted] = q.values_.emplace(key, p.value.decode());
    if (!inserted) bad_param("parameter '" + quote_client_bytes(key) + "' is given more than once");
  }
  return q;
}

void QueryParams::allow_only(std::span<const std::string_view> known) const {
  for (const auto& [name, value] : values_) {
    bool ok = false;
    for (auto k : known) ok = ok || k == name;
    if (!ok) {
      std::string list;
      for (auto k : known) {
        if (!list.empty()) list += ", ";
        list += k;
      }
      bad_param("unknown parameter '" + quote_client_bytes(name) + "'" +
                (list.empty() ? std::string(": this endpoint takes none")
                              : "; this endpoint takes: " + list));
    }
  }
}

std::uint64_t QueryParams::get_uint(std::string_view name, std::uint64_t fallback,
                                    std::uint64_t min, std::uint64_t max) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  return parse_uint(name, it->second, min, max);
}

std::uint64_t QueryParams::parse_uint(std::string_view name, std::string_view text,
                                      std::uint64_t min, std::uint64_t max) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  const std::string range = " (allowed: " + std::to_string(min) + ".." + std::to_string(max) + ")";
  const std::string shown = quote_client_bytes(text);
  if (text.empty() || ptr != end || ec == std::errc::invalid_argument) {
    bad_param("parameter '" + std::string(name) + "' must be a non-negative integer, got '" +
              shown + "'" + range);
  }
  if (ec == std::errc::result_out_of_range || v < min || v > max) {
    bad_param("parameter '" + std::string(name) + "' is out of range: " + shown + range);
  }
  return v;
}

std::string_view QueryParams::get_choice(std::string_view name,
                                         std::span<const std::string_view> choices) const {
  auto it = values_.find(name);
  if (it == values_.end()) return choices.front();
  for (auto c : choices) {
    if (c == it->second) return c;
  }
  std::string list;
  for (auto c : choices) {
    if (!list.empty()) list += ", ";
    list += c;
  }
  bad_param("parameter '" + std::string(name) + "' must be one of: " + list + "; got '" +
            quote_client_bytes(it->second) + "'");
}

}  // namespace coroserve
