#include "client/connect.hpp"

#include <boost/asio/connect.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

asio::awaitable<std::optional<ErrorKind>> connect_socket(
    ConnState& st, const std::vector<tcp::endpoint>& endpoints, Clock::duration timeout) {
  st.arm(timeout);
  auto [ec, ep] = co_await asio::async_connect(st.sock, endpoints, use_nothrow);
  st.disarm();
  if (ec == asio::error::connection_refused) co_return ErrorKind::refused;
  if (ec) co_return classify(ec, st, ErrorKind::connect);
  boost::system::error_code ignored;
  st.sock.set_option(tcp::no_delay(true), ignored);
  co_return std::nullopt;
}

}  // namespace corobench
