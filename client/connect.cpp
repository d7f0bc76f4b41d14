#include "client/connect.hpp"

#include <netinet/in.h>

#include <boost/asio/detail/socket_option.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

#ifdef IP_BIND_ADDRESS_NO_PORT
// Lets connect() choose the source port: a bind() with port 0 would take an
// ephemeral port for every destination at once, and a connection-per-request
// run from one address would run out of them far sooner.
using bind_address_no_port =
    asio::detail::socket_option::boolean<IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT>;
#endif

// A fresh socket for `ep`, bound to `bind` if given. Non-blocking from the
// start: requests are written in plain calls that must never wait (and
// Asio, finding it so, makes no call of its own to set it).
boost::system::error_code open_socket(tcp::socket& sock, const tcp::endpoint& ep,
                                      const std::optional<asio::ip::address>& bind) {
  boost::system::error_code ec;
  sock.close(ec);
  sock.open(ep.protocol(), ec);
  if (!ec) sock.non_blocking(true, ec);
  if (ec || !bind) return ec;
#ifdef IP_BIND_ADDRESS_NO_PORT
  boost::system::error_code ignored;
  sock.set_option(bind_address_no_port(true), ignored);
#endif
  sock.bind(tcp::endpoint(*bind, 0), ec);
  return ec;
}

}  // namespace

std::vector<tcp::endpoint> reachable_from(const std::vector<tcp::endpoint>& eps,
                                          const std::optional<asio::ip::address>& bind) {
  std::vector<tcp::endpoint> out;
  for (const auto& ep : eps) {
    if (!bind || ep.address().is_v4() == bind->is_v4()) out.push_back(ep);
  }
  return out;
}

asio::awaitable<std::optional<ConnectFailure>> connect_socket(ConnState& st,
                                                              const ConnectTarget& to,
                                                              Clock::duration timeout) {
  st.arm(timeout);
  ConnectFailure failure{ErrorKind::connect, asio::error::host_not_found, false, {}, false};
  for (const tcp::endpoint& ep : to.endpoints) {
    if (const auto ec = open_socket(st.sock, ep, to.bind)) {
      failure = {ErrorKind::connect, ec, true, {}, false};
      break;
    }
    auto [ec] = co_await st.sock.async_connect(ep, use_nothrow);
    if (!ec) {
      st.disarm();
      boost::system::error_code ignored;
      st.sock.set_option(tcp::no_delay(true), ignored);
      co_return std::nullopt;
    }
    failure.ec = ec;
    failure.kind = ec == asio::error::connection_refused ? ErrorKind::refused
                                                         : classify(ec, st, ErrorKind::connect);
    if (failure.kind == ErrorKind::timeout || failure.kind == ErrorKind::stopped) break;
  }
  st.disarm();
  boost::system::error_code ignored;
  st.sock.close(ignored);
  co_return failure;
}

}  // namespace corobench
