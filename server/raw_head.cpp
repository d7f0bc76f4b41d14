#include "server/raw_head.hpp"

#include <algorithm>
#include <cctype>

#include "common/http_text.hpp"

namespace coroserve {

namespace {

// An LF at `i` with no CR right before it.
bool lacks_cr(std::string_view bytes, std::size_t i) {
  return i == 0 || bytes[i - 1] != '\r';
}

}  // namespace

HeadScan scan_header(std::string_view received, std::size_t scanned, std::size_t max_head_bytes) {
  HeadScan scan;
  scan.not_http = !received.empty() && !is_token_char(received.front());
  // An LF up to two bytes before `scanned` may have lacked the bytes after it.
  const auto from = scanned > 2 ? scanned - 2 : 0;
  for (auto i = received.find('\n', from); i != std::string_view::npos;
       i = received.find('\n', i + 1)) {
    if (lacks_cr(received, i)) {
      scan.bare_lf = true;
      continue;
    }
    const auto next = received.substr(i + 1, 2);
    if (next == "\r\n") {
      scan.state = HeaderScan::complete;
      scan.head_bytes = i + 3;
      return scan;
    }
    if (!next.empty() && (next[0] == ' ' || next[0] == '\t')) scan.obs_fold = true;
  }
  if (scan.not_http || scan.bare_lf || received.size() > max_head_bytes) {
    scan.state = HeaderScan::for_the_parser;
  }
  return scan;
}

bool has_bare_lf(std::string_view bytes, std::size_t from) {
  for (auto i = bytes.find('\n', from); i != std::string_view::npos; i = bytes.find('\n', i + 1)) {
    if (lacks_cr(bytes, i)) return true;
  }
  return false;
}

std::size_t leading_empty_lines(std::string_view received) {
  std::size_t n = 0;
  while (received.substr(n, 2) == "\r\n") n += 2;
  return n;
}

std::size_t field_bytes(std::string_view received, std::size_t head_bytes) {
  return head_bytes - (received.find('\n') + 1);
}

bool request_line_too_long(std::string_view received, std::size_t max_url_bytes) {
  const auto eol = received.find('\n');
  const std::size_t line = eol == std::string_view::npos ? received.size() : eol;
  return line > max_url_bytes + kRequestLineOverhead;
}

void serve_higher_minor_as_11(char* received, std::size_t size) {
  const std::string_view bytes(received, size);
  const auto eol = bytes.find("\r\n");
  if (eol == std::string_view::npos || eol < 9) return;
  const auto version = bytes.substr(eol - 9, 9);  // " HTTP/1.x"
  if (version.starts_with(" HTTP/1.") && version[8] >= '2' && version[8] <= '9') {
    received[eol - 1] = '1';
  }
}

bool names_other_http_version(std::string_view received) {
  const auto line = received.substr(0, received.find('\r'));
  const auto sp = line.rfind(' ');
  if (sp == std::string_view::npos) return false;
  // "METHOD SP target SP version": any other number of spaces is garbage.
  if (std::count(line.begin(), line.end(), ' ') != 2) return false;
  // The line must end in CRLF: "HTTP/1.1" before a bare CR is a broken
  // line, not another version.
  if (received.substr(line.size(), 2) != "\r\n") return false;
  const auto v = line.substr(sp + 1);
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" &&
         std::isdigit(static_cast<unsigned char>(v[5])) && v[6] == '.' &&
         std::isdigit(static_cast<unsigned char>(v[7])) && v[5] != '1';
}

}  // namespace coroserve
