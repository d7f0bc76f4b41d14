#include "tests/integration/client_peer_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace corobench::test {

namespace asio = boost::asio;
constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

PeerServer::PeerServer() : acceptor_(ioc_) {
  const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen();
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(ioc_, accept_loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
}

PeerServer::~PeerServer() {
  asio::post(ioc_, [this] { ioc_.stop(); });
  thread_.join();
}

std::map<std::string, std::uint64_t> PeerServer::requests_by_peer() const {
  std::lock_guard lock(mu_);
  return by_peer_;
}

asio::awaitable<void> PeerServer::accept_loop() {
  for (;;) {
    auto [ec, sock] = co_await acceptor_.async_accept(nothrow);
    if (ec) co_return;
    asio::co_spawn(ioc_, session(std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> PeerServer::session(tcp::socket sock) {
  boost::system::error_code ec;
  const std::string peer = sock.remote_endpoint(ec).address().to_string();
  std::string buf;
  static const std::string kAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  for (;;) {
    auto [rec, n] =
        co_await asio::async_read_until(sock, asio::dynamic_buffer(buf), "\r\n\r\n", nothrow);
    if (rec) co_return;
    buf.erase(0, n);
    {
      std::lock_guard lock(mu_);
      ++by_peer_[peer];
    }
    auto [wec, w] = co_await asio::async_write(sock, asio::buffer(kAnswer), nothrow);
    if (wec) co_return;
  }
}

}  // namespace corobench::test
