#include "client/request_writer.hpp"

#include <boost/asio/write.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;

// One request (the usual case) goes with write_some directly: a loopback
// socket takes ~100 bytes in one call, and the composed async_write costs
// more than the loop it saves.
template <typename Stream>
asio::awaitable<boost::system::error_code> write_requests(
    Stream& stream, const std::vector<asio::const_buffer>& requests) {
  if (requests.size() > 1) {
    auto [ec, n] = co_await asio::async_write(stream, requests, use_nothrow);
    co_return ec;
  }
  asio::const_buffer rest = requests.front();
  while (rest.size() > 0) {
    auto [ec, n] = co_await stream.async_write_some(rest, use_nothrow);
    if (ec) co_return ec;
    rest += n;
  }
  co_return boost::system::error_code{};
}

template asio::awaitable<boost::system::error_code> write_requests(
    asio::ip::tcp::socket&, const std::vector<asio::const_buffer>&);
template asio::awaitable<boost::system::error_code> write_requests(
    TlsStream&, const std::vector<asio::const_buffer>&);

}  // namespace corobench
