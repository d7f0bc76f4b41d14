#include "server/raw_head.hpp"

#include <algorithm>
#include <cctype>

namespace coroserve {

HeaderScan scan_header(std::string_view received, std::size_t scanned,
                       std::size_t max_header_bytes) {
  const auto from = scanned > 3 ? scanned - 3 : 0;
  if (received.find("\r\n\r\n", from) != std::string_view::npos) return HeaderScan::complete;
  for (auto i = received.find('\n', scanned); i != std::string_view::npos;
       i = received.find('\n', i + 1)) {
    if (i == 0 || received[i - 1] != '\r') return HeaderScan::for_the_parser;
  }
  if (received.size() > max_header_bytes) return HeaderScan::for_the_parser;
  return HeaderScan::incomplete;
}

std::size_t leading_empty_lines(std::string_view received) {
  std::size_t n = 0;
  while (received.substr(n, 2) == "\r\n") n += 2;
  return n;
}

bool has_obs_fold(std::string_view received) {
  const auto end = received.find("\r\n\r\n");
  if (end == std::string_view::npos) return false;
  const auto head = received.substr(0, end + 2);
  for (auto i = head.find("\r\n"); i != std::string_view::npos; i = head.find("\r\n", i + 2)) {
    if (i + 2 < head.size() && (head[i + 2] == ' ' || head[i + 2] == '\t')) return true;
  }
  return false;
}

bool request_line_too_long(std::string_view received, std::size_t max_url_bytes) {
  const auto eol = received.find('\n');
  const std::size_t line = eol == std::string_view::npos ? received.size() : eol;
  // "METHOD SP target SP HTTP/1.1": allow room for the method and version.
  return line > max_url_bytes + 32;
}

bool names_other_http_version(std::string_view received) {
  const auto line = received.substr(0, received.find('\r'));
  const auto sp = line.rfind(' ');
  if (sp == std::string_view::npos) return false;
  // "METHOD SP target SP version": any other number of spaces is garbage.
  if (std::count(line.begin(), line.end(), ' ') != 2) return false;
  const auto v = line.substr(sp + 1);
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" &&
         std::isdigit(static_cast<unsigned char>(v[5])) && v[6] == '.' &&
         std::isdigit(static_cast<unsigned char>(v[7]));
}

}  // namespace coroserve
