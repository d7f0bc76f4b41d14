#pragma once
// A tiny HTTP/1.1 server inside the test process, for checking corobench
// against answers of a known shape (Content-Length, chunked, close-delimited,
// garbage, slow, answers held back until a pipelined batch has arrived) and
// for counting what it saw: connections, requests, status codes.
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace corobench_test {

class FakeHttpServer {
 public:
  enum class Framing { content_length, chunked, close_delimited, garbage };
  struct Options {
    Framing framing = Framing::content_length;
    // Answer only once this many requests have arrived on the connection: a
    // client that does not pipeline gets nothing (and times out).
    unsigned batch = 1;
    std::chrono::milliseconds delay{0};  // before each batch of answers
  };

  explicit FakeHttpServer(Options o) : opts_(o), acceptor_(ioc_) {
    namespace asio = boost::asio;
    const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    asio::co_spawn(ioc_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~FakeHttpServer() {
    boost::asio::post(ioc_, [this] { ioc_.stop(); });
    thread_.join();
  }
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::uint64_t accepted() const { return accepted_; }
  // Connections that carried at least one request (corobench's reachability
  // probe connects once without sending).
  std::uint64_t served_connections() const { return served_connections_; }
  std::uint64_t requests() const { return requests_; }
  // Most requests that had arrived on one connection before it answered.
  std::uint64_t max_pipelined() const { return max_pipelined_; }
  std::map<unsigned, std::uint64_t> statuses() const {
    std::lock_guard lock(mu_);
    return statuses_;
  }

 private:
  using tcp = boost::asio::ip::tcp;

  boost::asio::awaitable<void> accept_loop() {
    namespace asio = boost::asio;
    for (;;) {
      auto [ec, sock] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++accepted_;
      asio::co_spawn(ioc_, session(std::move(sock)), asio::detached);
    }
  }

  static unsigned status_for(std::string_view target) {
    // "/status/404" answers 404; anything else 200.
    if (target.starts_with("/status/"))
      return static_cast<unsigned>(std::stoul(std::string(target.substr(8))));
    return 200;
  }

  std::string answer(unsigned status, bool head) const {
    const std::string body = "Hello, World!";
    const std::string line = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    switch (opts_.framing) {
      case Framing::content_length:
        return line + "Content-Type: text/plain\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\n\r\n" + (head ? "" : body);
      case Framing::chunked:
        if (head) return line + "Transfer-Encoding: chunked\r\n\r\n";
        return line + "Transfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n8\r\n, World!\r\n0\r\n\r\n";
      case Framing::close_delimited:
        return line + "Connection: close\r\n\r\n" + (head ? "" : body);
      case Framing::garbage:
        return "HELLO THERE\r\n\r\n";
    }
    return {};
  }

  boost::asio::awaitable<void> session(tcp::socket sock) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
    boost::beast::flat_buffer buf;
    bool served = false;
    for (;;) {
      std::string out;
      unsigned pending = 0;
      bool close_after = false;
      while (pending < opts_.batch) {
        http::request_parser<http::string_body> parser;
        auto [ec, n] = co_await http::async_read(sock, buf, parser, nothrow);
        if (ec) co_return;
        if (!served) {
          served = true;
          ++served_connections_;
        }
        ++requests_;
        ++pending;
        const auto& req = parser.get();
        const unsigned status = status_for(req.target());
        {
          std::lock_guard lock(mu_);
          ++statuses_[status];
        }
        out += answer(status, req.method() == http::verb::head);
        if (!req.keep_alive() || opts_.framing == Framing::close_delimited ||
            opts_.framing == Framing::garbage) {
          close_after = true;
          break;
        }
      }
      if (pending > max_pipelined_) max_pipelined_ = pending;
      if (opts_.delay.count() > 0) {
        asio::steady_timer t(ioc_, opts_.delay);
        co_await t.async_wait(nothrow);
      }
      auto [wec, wn] = co_await asio::async_write(sock, asio::buffer(out), nothrow);
      if (wec || close_after) {
        boost::system::error_code ignored;
        sock.shutdown(tcp::socket::shutdown_send, ignored);
        sock.close(ignored);
        co_return;
      }
    }
  }

  Options opts_;
  boost::asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<std::uint64_t> accepted_{0}, served_connections_{0}, requests_{0}, max_pipelined_{0};
  mutable std::mutex mu_;
  std::map<unsigned, std::uint64_t> statuses_;
};

}  // namespace corobench_test
