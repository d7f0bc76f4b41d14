#include "server/response_writer.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/status.hpp>

#include <charconv>

#include "common/version.hpp"

namespace coroserve {

namespace {

// Fields the writer owns: a handler's copy of one of them is not sent, so
// the framing on the wire is always the one computed here.
bool owned_by_writer(const Response::value_type& f) {
  switch (f.name()) {
    case http::field::content_length:
    case http::field::transfer_encoding:
    case http::field::connection:
    case http::field::server:
    case http::field::date:
      return true;
    case http::field::unknown:
      return boost::beast::iequals(f.name_string(), "X-Request-Id") ||
             boost::beast::iequals(f.name_string(), "X-Content-Type-Options");
    default:
      return false;
  }
}

void append_number(std::string& out, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.append(digits, end);
}

}  // namespace

std::string_view server_header() {
  static const std::string name = std::string(kName) + "/" + kVersion;
  return name;
}

bool status_has_no_body(unsigned status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

// "\r\nServer: coroserve/V\r\nDate: ", the same in every answer: one append.
std::string_view server_to_date() {
  static const std::string text = "\r\nServer: " + std::string(server_header()) + "\r\nDate: ";
  return text;
}

// Each line after the status line is appended together with the CRLF that
// ends the line before it: a constant line and the line ends around it are
// then one append, and each append costs its own length and capacity checks.
void append_response_head(std::string& out, const Response& res, const ResponseFraming& framing) {
  const unsigned status = res.result_int();
  // Three digits: Beast refuses a status past 999, and the server sends 1xx to 5xx.
  char line[] = "HTTP/1.1 000 ";
  line[9] = static_cast<char>('0' + status / 100 % 10);
  line[10] = static_cast<char>('0' + status / 10 % 10);
  line[11] = static_cast<char>('0' + status % 10);
  out.append(line, sizeof line - 1);
  out += http::obsolete_reason(static_cast<http::status>(status));
  out += server_to_date();
  out += framing.date;
  for (const auto& f : res) {
    if (owned_by_writer(f)) continue;
    out += "\r\n";
    out += f.name_string();
    out += ": ";
    out += f.value();
  }
  if (framing.request_id.empty()) {
    out += "\r\nX-Content-Type-Options: nosniff";
  } else {
    out += "\r\nX-Content-Type-Options: nosniff\r\nX-Request-Id: ";
    out += framing.request_id;
  }
  if (framing.close) {
    out += "\r\nConnection: close";
  } else if (framing.http10_keep_alive) {
    out += "\r\nConnection: keep-alive";
  }
  if (!status_has_no_body(status)) {
    out += "\r\nContent-Length: ";
    append_number(out, res.body().size());  // also for HEAD: the GET body's length
  }
  out += "\r\n\r\n";
}

std::string_view wire_body(const Response& res, const ResponseFraming& framing) {
  if (framing.head_only || status_has_no_body(res.result_int())) return {};
  return res.body();
}

void append_response(std::string& out, const Response& res, const ResponseFraming& framing) {
  append_response_head(out, res, framing);
  out += wire_body(res, framing);
}

}  // namespace coroserve
