#include "server/listener.hpp"

#include <boost/asio/detail/socket_option.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

using ReusePort = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

tcp::endpoint resolve_listen_endpoint(const std::string& host, std::uint16_t port) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) return {address, port};
  asio::io_context tmp;
  tcp::resolver resolver(tmp);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive);
  return results.begin()->endpoint();
}

}  // namespace

tcp::acceptor open_listener(asio::io_context& ioc, const std::string& host, std::uint16_t port,
                            bool reuse_port) {
  const auto endpoint = resolve_listen_endpoint(host, port);
  tcp::acceptor acceptor(ioc);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  if (reuse_port) acceptor.set_option(ReusePort(true));
  // Linux copies TCP_NODELAY from the listening socket to every socket it
  // accepts: set once here, it saves a setsockopt per connection.
  acceptor.set_option(tcp::no_delay(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  // Each wake takes connections until none waits (accept_waiting.hpp):
  // that last accept must fail at once, not wait for one.
  acceptor.non_blocking(true);
  return acceptor;
}

void write_port_file(const std::string& path, std::uint16_t port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << '\n';
    if (!out) throw std::runtime_error("cannot write --port-file " + path);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace coroserve
