#include "server/head_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>
#include <vector>

namespace coroserve {

namespace {

constexpr bool is_bad_value_byte(unsigned char c) {
  return (c < 0x20 && c != '\t') || c == 0x7f;
}

// Whether any of the 8 bytes of `w` is below 0x20 or is 0x7f, in a few
// instructions for all 8 (the usual "has a byte less than n" bit trick:
// subtracting n from every byte borrows into the top bit of a byte that
// was below n; `& ~w` drops bytes whose top bit was set already). It may
// say yes for a clean byte next to a bad one, never no for a bad one.
constexpr bool may_hold_bad_byte(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kTops = 0x8080808080808080;
  const std::uint64_t below_space = (w - 0x20 * kOnes) & ~w & kTops;
  const std::uint64_t del = w ^ (0x7f * kOnes);  // a zero byte where w held DEL
  return (below_space | ((del - kOnes) & ~del & kTops)) != 0;
}

}  // namespace

// Every value of every request is scanned, so 8 bytes are tested at once
// (a short last word is filled up with spaces, which are clean); a word
// that may hold a bad byte is looked at byte by byte, which also lets its
// tabs through.
bool has_bad_value_bytes(std::string_view v) noexcept {
  for (std::size_t i = 0; i < v.size(); i += 8) {
    const std::size_t n = std::min<std::size_t>(8, v.size() - i);
    std::uint64_t w = 0x2020202020202020;
    std::memcpy(&w, v.data() + i, n);
    if (may_hold_bad_byte(w) && std::any_of(v.begin() + i, v.begin() + i + n, is_bad_value_byte)) {
      return true;
    }
  }
  return false;
}

namespace {

// What the field checks count while they walk the head once.
struct FieldCounts {
  std::size_t hosts = 0;
  std::size_t lengths = 0;
  bool has_transfer_encoding = false;
  std::vector<std::string> codings;  // lower case, in order
};

HttpError bad(std::string detail) {
  return HttpError(http::status::bad_request, "bad_request", detail);
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_decimal(std::string_view v) {
  return !v.empty() &&
         std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

void add_codings(std::string_view list, std::vector<std::string>& codings) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    auto token = trim(list.substr(0, comma));
    if (!token.empty()) codings.push_back(lower(token));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
}

std::optional<HttpError> count_field(const Fields::value_type& f, FieldCounts& n) {
  if (has_bad_value_bytes(f.value())) {
    return bad("header '" + std::string(f.name_string()) +
               "' holds a control character or a folded line (obs-fold)");
  }
  if (f.name() == http::field::host) {
    ++n.hosts;
    // RFC 9112 3.2: a Host field with an invalid value is answered with 400.
    if (!is_valid_host_port(f.value())) return bad("the Host header is not a valid host[:port]");
  }
  if (f.name() == http::field::content_length) {
    ++n.lengths;
    // Beast takes "1, 1" as 1; a list here is ambiguous framing to us.
    if (!is_decimal(f.value())) return bad("Content-Length must be one decimal number");
  }
  if (f.name() == http::field::transfer_encoding) {
    n.has_transfer_encoding = true;
    add_codings(f.value(), n.codings);
  }
  return std::nullopt;
}

std::optional<HttpError> check_version_and_length(const RequestHead& head,
                                                  const RequestLimits& limits) {
  if (head.version() / 10 != 1) {
    return HttpError(http::status::http_version_not_supported, "http_version_not_supported",
                     "only HTTP/1.0 and HTTP/1.1 are served");
  }
  if (head.target().size() > limits.max_url_bytes) {
    return HttpError(http::status::uri_too_long, "uri_too_long",
                     "the request target is " + std::to_string(head.target().size()) +
                         " bytes; the limit (--max-url-bytes) is " +
                         std::to_string(limits.max_url_bytes));
  }
  return std::nullopt;
}

std::optional<HttpError> check_counts(const FieldCounts& n, unsigned version) {
  if (version == 11 && n.hosts == 0) return bad("an HTTP/1.1 request must carry a Host header");
  if (n.hosts > 1) return bad("more than one Host header");
  if (n.lengths > 1) return bad("more than one Content-Length header");
  return std::nullopt;
}

// RFC 9112 §6.1: only a final "chunked" tells where the body ends.
std::optional<HttpError> check_transfer_coding(const FieldCounts& n, unsigned version) {
  if (!n.has_transfer_encoding) return std::nullopt;
  if (version == 10) {
    return bad("Transfer-Encoding is not defined for HTTP/1.0: the body length is ambiguous");
  }
  if (n.lengths > 0) return bad("both Content-Length and Transfer-Encoding are present");
  if (n.codings.empty()) return bad("Transfer-Encoding is empty");
  if (n.codings.back() != "chunked") {
    return bad("the last transfer coding is not chunked: the body length cannot be determined");
  }
  if (std::count(n.codings.begin(), n.codings.end(), "chunked") > 1) {
    return bad("chunked is applied more than once");
  }
  if (n.codings.size() > 1) {
    return HttpError(
        http::status::not_implemented, "unsupported_transfer_coding",
        "only the chunked transfer coding is supported, got '" + n.codings.front() + "'");
  }
  return std::nullopt;
}

std::optional<HttpError> check_expect(const RequestHead& head) {
  // Every Expect line counts, a repeated one as much as the first (RFC 9110
  // section 5.3), and each must be exactly 100-continue. Most requests have
  // none: one lookup tells.
  const auto first = head.find(http::field::expect);
  if (first == head.end()) return std::nullopt;
  const auto last = head.equal_range(http::field::expect).second;
  if (std::all_of(first, last,
                  [](const auto& f) { return lower(trim(f.value())) == "100-continue"; })) {
    return std::nullopt;
  }
  return HttpError(http::status::expectation_failed, "expectation_failed",
                   "only 'Expect: 100-continue' is supported");
}

std::optional<HttpError> check_target(const RequestHead& head, Target* target_out) {
  auto target = split_target(head.target());
  if (!target) return bad("the request target is not in origin-form or absolute-form");
  if (target->asterisk && head.method() != http::verb::options) {
    return bad("the asterisk-form target '*' is only for OPTIONS");
  }
  if (target_out != nullptr) *target_out = *target;
  return std::nullopt;
}

}  // namespace

std::optional<HttpError> check_request_head(const RequestHead& head, const RequestLimits& limits,
                                            Target* target_out) {
  if (auto e = check_version_and_length(head, limits)) return e;
  FieldCounts counts;
  for (const auto& f : head) {
    if (auto e = count_field(f, counts)) return e;
  }
  if (auto e = check_counts(counts, head.version())) return e;
  if (auto e = check_transfer_coding(counts, head.version())) return e;
  if (auto e = check_expect(head)) return e;
  return check_target(head, target_out);
}

bool expects_continue(const RequestHead& head) {
  return head.version() >= 11 && head.count(http::field::expect) != 0;
}

std::optional<HttpError> check_declared_length(std::optional<std::uint64_t> content_length,
                                               const RequestLimits& limits) {
  if (!content_length || *content_length <= limits.max_body_bytes) return std::nullopt;
  return HttpError(http::status::payload_too_large, "payload_too_large",
                   "the body is " + std::to_string(*content_length) +
                       " bytes; the limit (--max-body-bytes) is " +
                       std::to_string(limits.max_body_bytes));
}

}  // namespace coroserve
