#pragma once
// A loopback HTTP/1.1 server for corobench's tests that notes where each
// connection came from (the peer address), answering every bodiless request
// with a fixed 200: enough to check --bind.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace corobench::test {

class PeerServer {
 public:
  PeerServer();
  ~PeerServer();
  PeerServer(const PeerServer&) = delete;
  PeerServer& operator=(const PeerServer&) = delete;

  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Requests served, by the peer address they came from.
  std::map<std::string, std::uint64_t> requests_by_peer() const;

 private:
  using tcp = boost::asio::ip::tcp;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(tcp::socket sock);

  boost::asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> by_peer_;
  std::thread thread_;
};

}  // namespace corobench::test
