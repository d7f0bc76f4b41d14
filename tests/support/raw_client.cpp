#include "tests/support/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/json/parse.hpp>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace coroserve::test {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

RawClient::RawClient(std::uint16_t port, const char* host) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
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

RawClient::~RawClient() {
  close();
}

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("send: " + std::string(std::strerror(errno)));
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

bool RawClient::fill(Clock::time_point deadline) {
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char buf[16384];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<TestResponse> RawClient::read_response(std::chrono::milliseconds timeout,
                                                     bool head_request) {
  const auto deadline = Clock::now() + timeout;
  http::response_parser<http::string_body> parser;
  parser.eager(true);
  parser.body_limit(64 * 1024 * 1024);
  parser.skip(head_request);
  for (;;) {
    if (!pending_.empty()) {
      boost::system::error_code ec;
      const auto used = parser.put(boost::asio::buffer(pending_), ec);
      if (ec && ec != http::error::need_more) {
        throw std::runtime_error("bad response from server: " + ec.message());
      }
      pending_.erase(0, used);
      if (parser.is_done()) return parser.release();
      if (ec == http::error::need_more || used == 0) {
        if (!fill(deadline)) {
          if (parser.is_header_done() && !parser.chunked() && !parser.content_length()) {
            // Close-delimited body: EOF ends it.
            parser.put_eof(ec);
            if (!ec) return parser.release();
          }
          return std::nullopt;
        }
      }
      continue;
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

std::string RawClient::read_until_close(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (fill(deadline)) {
  }
  std::string out;
  out.swap(pending_);
  return out;
}

bool RawClient::closed_by_server(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return true;
    pending_.append(buf, static_cast<std::size_t>(n));
  }
}

std::string get_request(std::string_view target, std::string_view extra_headers) {
  std::string r = "GET ";
  r += target;
  r += " HTTP/1.1\r\nHost: test\r\n";
  r += extra_headers;
  r += "\r\n";
  return r;
}

TestResponse http_get(std::uint16_t port, std::string_view target,
                      std::chrono::milliseconds timeout) {
  RawClient c(port);
  c.send(get_request(target, "Connection: close\r\n"));
  auto r = c.read_response(timeout);
  if (!r) throw std::runtime_error("no response to GET " + std::string(target));
  return std::move(*r);
}

boost::json::object stats_json(std::uint16_t port) {
  auto r = http_get(port, "/stats");
  if (r.result() != http::status::ok) {
    throw std::runtime_error("GET /stats answered " + std::to_string(r.result_int()));
  }
  return boost::json::parse(r.body()).as_object();
}

}  // namespace coroserve::test
