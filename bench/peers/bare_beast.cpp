// The bare Boost.Beast peer for `make bench`: the least the same
// libraries can do. One thread, one io_context, one coroutine per connection:
// read a request, answer "Hello, World!", loop. No routing, no metrics, no
// timeouts, no Date header; the fixed cost coroserve is measured against.
//
//   bare_beast [--host 127.0.0.1] [--port 0] [--port-file FILE]
//
// Stops on SIGINT/SIGTERM.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

namespace {

constexpr auto kAwait = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> session(tcp::socket socket) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [rec, rn] = co_await http::async_read(socket, buffer, req, kAwait);
    if (rec) break;  // end_of_stream, reset, or a malformed request: close.
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain");
    res.body() = "Hello, World!";
    res.keep_alive(req.keep_alive());
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(socket, res, kAwait);
    if (wec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kAwait);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // EMFILE and friends: keep serving the others.
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), asio::detached);
  }
}

[[noreturn]] void usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--host ADDR] [--port N] [--port-file FILE]\n", argv0);
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned long port = 0;
  std::string port_file;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) usage(argv[0]);
    if (arg == "--host") {
      host = argv[++i];
    } else if (arg == "--port") {
      port = std::strtoul(argv[++i], nullptr, 10);
      if (port > 65535) usage(argv[0]);
    } else if (arg == "--port-file") {
      port_file = argv[++i];
    } else {
      usage(argv[0]);
    }
  }
  try {
    asio::io_context ioc{1};
    tcp::endpoint endpoint{asio::ip::make_address(host), static_cast<unsigned short>(port)};
    tcp::acceptor acceptor{ioc, endpoint};  // open, SO_REUSEADDR, bind, listen
    const unsigned bound = acceptor.local_endpoint().port();
    if (!port_file.empty()) {
      std::ofstream(port_file) << bound << '\n';
    }
    std::printf("bare_beast listening on %s:%u\n", host.c_str(), bound);
    std::fflush(stdout);
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });
    asio::co_spawn(ioc, listen(acceptor), asio::detached);
    ioc.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bare_beast: %s\n", e.what());
    return 1;
  }
  return 0;
}
