#pragma once
// A tiny HTTP/1.1 server inside the test process, for checking corobench
// against answers of a known shape (Content-Length, chunked, close-delimited,
// garbage, slow, answers held back until a pipelined batch has arrived) and
// for counting what it saw: connections, requests, status codes.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace coroserve::test {

class FakeHttpServer {
 public:
  enum class Framing { content_length, chunked, close_delimited, garbage };
  struct Options {
    Framing framing = Framing::content_length;
    // Answer only once this many requests have arrived on the connection: a
    // client that does not pipeline gets nothing (and times out).
    unsigned batch = 1;
    std::chrono::milliseconds delay{0};  // before each batch of answers
    // Answer before being asked: keep the client's side of each connection
    // full of 200s while its requests are read and dropped unparsed (and not
    // counted). An answer then costs the server next to nothing, so the
    // client is what limits a run.
    bool answers_ahead = false;
    // Each answer comes after two interim ones: 100 Continue, 103 Early Hints.
    bool interim = false;
    // A kept-alive connection with no request for this long is closed, as a
    // server's keep-alive timeout does (0: never).
    std::chrono::milliseconds idle_timeout{0};
  };

  explicit FakeHttpServer(Options o);
  ~FakeHttpServer();
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
  std::map<unsigned, std::uint64_t> statuses() const;

 private:
  using tcp = boost::asio::ip::tcp;
  struct Batch;

  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> session(tcp::socket sock);
  boost::asio::awaitable<bool> read_batch(tcp::socket& sock, Batch& batch);
  boost::asio::awaitable<void> answer_ahead(tcp::socket sock);
  std::string answer(unsigned status, bool head) const;
  void count(unsigned status);

  Options opts_;
  boost::asio::io_context ioc_{1};
  tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<std::uint64_t> accepted_{0}, served_connections_{0}, requests_{0}, max_pipelined_{0};
  mutable std::mutex mu_;
  std::map<unsigned, std::uint64_t> statuses_;
};

}  // namespace coroserve::test
