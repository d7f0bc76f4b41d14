#include "client/request.hpp"

#include <openssl/evp.h>

#include <boost/beast/http.hpp>
#include <sstream>

#include "client/errors.hpp"
#include "common/http_text.hpp"
#include "common/version.hpp"

namespace corobench {

namespace http = boost::beast::http;

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace

void validate_header(std::string_view header) {
  const std::size_t colon = header.find(':');
  const std::string_view name = colon == std::string_view::npos ? header : header.substr(0, colon);
  bool ok = colon != std::string_view::npos && !name.empty();
  for (char c : name) ok = ok && coroserve::is_token_char(c);
  for (char c : header) ok = ok && c != '\r' && c != '\n' && c != '\0';
  if (!ok) {
    throw UsageError("invalid header '" + std::string(header) +
                     "' (expected 'Name: value', name made of token characters, no CR/LF)");
  }
  // The framing is corobench's own: a header that changed it would have the
  // requests or the reading of the answers disagree with what is sent.
  const std::string_view managed[][2] = {
      {"connection", "Connection is set by corobench; for Connection: close use --no-keepalive"},
      {"content-length", "Content-Length is set from --body or --body-file"},
      {"transfer-encoding", "corobench sends bodies with Content-Length (--body, --body-file)"},
  };
  for (const auto& [managed_name, why] : managed) {
    if (boost::beast::iequals(name, managed_name)) {
      throw UsageError("header '" + std::string(header) + "' refused: " + std::string(why));
    }
  }
}

RequestTemplate make_request(std::string_view method, const Target& target,
                             const std::vector<std::string>& headers, std::string_view body,
                             bool keepalive, unsigned weight) {
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target.target);
  req.version(11);
  req.set(http::field::host, target.host_header);
  req.set(http::field::user_agent, std::string("corobench/") + coroserve::kVersion);
  if (!target.credentials.empty()) {
    req.set(http::field::authorization, "Basic " + base64(target.credentials));
  }
  for (const std::string& h : headers) {
    validate_header(h);
    const std::size_t colon = h.find(':');
    req.set(trim(std::string_view(h).substr(0, colon)),
            trim(std::string_view(h).substr(colon + 1)));
  }
  req.body() = std::string(body);
  // A body always gets a Content-Length; so does a bodiless POST/PUT, which
  // a server may otherwise refuse with 411.
  const bool wants_length =
      !body.empty() || method == "POST" || method == "PUT" || method == "PATCH";
  if (wants_length) req.prepare_payload();
  req.keep_alive(keepalive);

  std::ostringstream os;
  os << req;
  RequestTemplate t;
  t.method = std::string(method);
  t.label = t.method + " " + target.target;
  t.url = target.origin() + target.target;
  t.weight = weight;
  t.head = method == "HEAD";
  t.wire = os.str();
  return t;
}

}  // namespace corobench
