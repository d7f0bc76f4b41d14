#include "tests/support/fake_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <memory>
#include <utility>

namespace coroserve::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// The requests of one connection that are answered together.
struct FakeHttpServer::Batch {
  boost::beast::flat_buffer buf;  // lives as long as the connection
  std::string out;                // the answers, in order
  unsigned pending = 0;           // requests in `out`
  bool close_after = false;
  bool served = false;  // the connection carried a request
};

namespace {

// "/status/404" answers 404; anything else 200.
unsigned status_for(std::string_view target) {
  if (target.starts_with("/status/")) {
    return static_cast<unsigned>(std::stoul(std::string(target.substr(8))));
  }
  return 200;
}

}  // namespace

FakeHttpServer::FakeHttpServer(Options o) : opts_(o), acceptor_(ioc_) {
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

FakeHttpServer::~FakeHttpServer() {
  asio::post(ioc_, [this] { ioc_.stop(); });
  thread_.join();
}

std::map<unsigned, std::uint64_t> FakeHttpServer::statuses() const {
  std::lock_guard lock(mu_);
  return statuses_;
}

void FakeHttpServer::count(unsigned status) {
  ++requests_;
  std::lock_guard lock(mu_);
  ++statuses_[status];
}

asio::awaitable<void> FakeHttpServer::accept_loop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor_.async_accept(nothrow);
    if (ec) co_return;
    ++accepted_;
    if (opts_.answers_ahead) {
      asio::co_spawn(ioc_, answer_ahead(std::move(sock)), asio::detached);
    } else {
      asio::co_spawn(ioc_, session(std::move(sock)), asio::detached);
    }
  }
}

std::string FakeHttpServer::answer(unsigned status, bool head) const {
  const std::string body = "Hello, World!";
  const std::string interim =
      opts_.interim ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                    : "";
  const std::string line = interim + "HTTP/1.1 " + std::to_string(status) + " X\r\n";
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

// Reads requests until the batch is full or one asks to close; false when
// the connection ended first.
asio::awaitable<bool> FakeHttpServer::read_batch(tcp::socket& sock, Batch& batch) {
  const bool closes_each =
      opts_.framing == Framing::close_delimited || opts_.framing == Framing::garbage;
  batch.out.clear();
  batch.pending = 0;
  batch.close_after = false;
  while (batch.pending < opts_.batch) {
    http::request_parser<http::string_body> parser;
    // The keep-alive timeout: the connection is shut down if no request
    // begins in time (a cancelled read ends it).
    asio::steady_timer idle(ioc_);
    if (opts_.idle_timeout.count() > 0 && batch.pending == 0 && batch.buf.size() == 0) {
      idle.expires_after(opts_.idle_timeout);
      idle.async_wait([&sock](boost::system::error_code e) {
        boost::system::error_code ignored;
        if (!e) sock.shutdown(tcp::socket::shutdown_send, ignored), sock.cancel(ignored);
      });
    }
    auto [ec, n] = co_await http::async_read(sock, batch.buf, parser, nothrow);
    idle.cancel();
    if (ec) co_return false;
    if (!std::exchange(batch.served, true)) ++served_connections_;
    ++batch.pending;
    const auto& req = parser.get();
    const unsigned status = status_for(req.target());
    count(status);
    batch.out += answer(status, req.method() == http::verb::head);
    if (!req.keep_alive() || closes_each) {
      batch.close_after = true;
      break;
    }
  }
  co_return true;
}

namespace {

// Reads whatever the client sends and drops it, until the connection ends,
// a millisecond apart: the requests pile up meanwhile and go in one read,
// however eagerly the I/O backend would complete each small one.
// Completion handlers rather than a second coroutine: GCC 12 misreports
// one coroutine inlined into another (-Wmismatched-new-delete) under TSan.
struct RequestSink {
  std::shared_ptr<asio::ip::tcp::socket> sock;
  std::shared_ptr<asio::steady_timer> pause =
      std::make_shared<asio::steady_timer>(sock->get_executor());
  std::shared_ptr<std::array<char, 64 * 1024>> bytes =
      std::make_shared<std::array<char, 64 * 1024>>();
  void operator()(boost::system::error_code ec = {}, std::size_t = 0) {
    if (ec) return;
    pause->expires_after(std::chrono::milliseconds(1));
    pause->async_wait([sink = *this](boost::system::error_code e) mutable {
      if (!e) sink.sock->async_read_some(asio::buffer(*sink.bytes), std::move(sink));
    });
  }
};

}  // namespace

// Writes answers for as long as the client reads them; a write fails once
// the client has closed.
asio::awaitable<void> FakeHttpServer::answer_ahead(tcp::socket sock) {
  auto shared = std::make_shared<tcp::socket>(std::move(sock));
  RequestSink{shared}();
  std::string answers;
  for (int i = 0; i < 1000; ++i) answers += answer(200, false);
  for (;;) {
    auto [ec, n] = co_await asio::async_write(*shared, asio::buffer(answers), nothrow);
    if (ec) break;
  }
  boost::system::error_code ignored;
  shared->close(ignored);
}

asio::awaitable<void> FakeHttpServer::session(tcp::socket sock) {
  Batch batch;
  while (co_await read_batch(sock, batch)) {
    if (batch.pending > max_pipelined_) max_pipelined_ = batch.pending;
    if (opts_.delay.count() > 0) {
      asio::steady_timer t(ioc_, opts_.delay);
      co_await t.async_wait(nothrow);
    }
    auto [ec, n] = co_await asio::async_write(sock, asio::buffer(batch.out), nothrow);
    if (ec || batch.close_after) {
      boost::system::error_code ignored;
      sock.shutdown(tcp::socket::shutdown_send, ignored);
      sock.close(ignored);
      co_return;
    }
  }
}

}  // namespace coroserve::test
