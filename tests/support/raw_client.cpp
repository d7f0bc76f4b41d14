#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace coroserve::test {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;
using Parser = http::response_parser<http::string_body>;

namespace {

// Feeds `pending` to `parser` and drops what it used; true once the parser
// holds a whole response. Bytes past it stay in `pending` (pipelining).
bool parse_pending(Parser& parser, std::string& pending) {
  while (!pending.empty() && !parser.is_done()) {
    boost::system::error_code ec;
    const auto used = parser.put(boost::asio::buffer(pending), ec);
    if (ec && ec != http::error::need_more) {
      throw std::runtime_error("bad response from server: " + ec.message());
    }
    pending.erase(0, used);
    if (used == 0) break;  // needs more bytes than are here
  }
  return parser.is_done();
}

// A body with neither a length nor chunking ends where the connection does.
std::optional<TestResponse> finish_at_close(Parser& parser) {
  if (!parser.is_header_done() || parser.chunked() || parser.content_length()) return std::nullopt;
  boost::system::error_code ec;
  parser.put_eof(ec);
  if (ec) return std::nullopt;
  return parser.release();
}

}  // namespace

RawClient::RawClient(std::uint16_t port, const char* host, const char* source) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  if (source != nullptr) bind_source(source);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host, &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect: " + std::string(std::strerror(err)));
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::RawClient(std::uint16_t port, const TlsClientOptions& tls, const char* host)
    : RawClient(port, host) {
  try {
    tls_ = std::make_unique<TlsChannel>(fd_, tls);
  } catch (...) {
    close();
    throw;
  }
}

void RawClient::bind_source(const char* source) {
  sockaddr_in local{};
  local.sin_family = AF_INET;
  local.sin_port = 0;
  if (::inet_pton(AF_INET, source, &local.sin_addr) != 1 ||
      ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    const int err = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("bind to " + std::string(source) + ": " + std::strerror(err));
  }
}

RawClient::~RawClient() {
  close();
}

void RawClient::cork() {
  int on = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &on, sizeof on);
}

void RawClient::close() {
  tls_.reset();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawClient::send(std::string_view bytes) {
  if (tls_) return tls_->send(bytes, Clock::now() + std::chrono::seconds(20));
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("send: " + std::string(std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

RawClient::Fill RawClient::fill(Clock::time_point deadline) {
  if (tls_) {
    switch (tls_->fill(pending_, deadline)) {
      case TlsChannel::Fill::data:
        return Fill::data;
      case TlsChannel::Fill::closed:
        return Fill::closed;
      case TlsChannel::Fill::timed_out:
        return Fill::timed_out;
    }
  }
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Fill::timed_out;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return Fill::timed_out;
    char buf[16384];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Fill::closed;  // EOF or reset
    pending_.append(buf, static_cast<std::size_t>(n));
    return Fill::data;
  }
}

std::optional<TestResponse> RawClient::read_response(std::chrono::milliseconds timeout,
                                                     bool head_request) {
  const auto deadline = Clock::now() + timeout;
  Parser parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head_request);
  while (!parse_pending(parser, pending_)) {
    const Fill got = fill(deadline);
    if (got == Fill::closed) return finish_at_close(parser);
    if (got == Fill::timed_out) return std::nullopt;
  }
  return parser.release();
}

std::string RawClient::read_until_close(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (fill(deadline) == Fill::data) {
  }
  std::string out;
  out.swap(pending_);
  return out;
}

bool RawClient::closed_by_server(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Fill got = Fill::data;
  while (got == Fill::data) got = fill(deadline);
  return got == Fill::closed;
}

std::string get_request(std::string_view target, std::string_view extra_headers) {
  std::string r = "GET ";
  r += target;
  r += " HTTP/1.1\r\nHost: test\r\n";
  r += extra_headers;
  r += "\r\n";
  return r;
}

}  // namespace coroserve::test
