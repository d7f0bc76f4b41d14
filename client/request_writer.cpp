#include "client/request_writer.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;

namespace {

// What the socket takes now, without waiting: the connection's socket is in
// non-blocking mode. Returns the request bytes taken; `ec` is would_block
// when some are left (over TLS, records may be left too).
std::size_t send_now(asio::ip::tcp::socket& socket, const std::vector<asio::const_buffer>& requests,
                     boost::system::error_code& ec) {
  return asio::write(socket, requests, asio::transfer_all(), ec);
}
std::size_t send_now(TlsStream& stream, const std::vector<asio::const_buffer>& requests,
                     boost::system::error_code& ec) {
  return stream.write_now(requests, ec);
}

// The rest, once the socket takes more. async_write starts with one write
// even when no request bytes are left, and over TLS that write sends the
// records still waiting.
template <typename Stream>
asio::awaitable<boost::system::error_code> send_rest(
    Stream& stream, const std::vector<asio::const_buffer>& requests, std::size_t taken) {
  boost::beast::buffers_suffix<std::vector<asio::const_buffer>> rest(requests);
  rest.consume(taken);
  auto [ec, n] = co_await asio::async_write(stream, rest, use_nothrow);
  co_return ec;
}

}  // namespace

// A loopback socket takes a batch of requests at once, so the usual write
// is a plain call: no asynchronous operation, and no wait for its
// completion to be delivered.
template <typename Stream>
asio::awaitable<boost::system::error_code> write_requests(
    Stream& stream, const std::vector<asio::const_buffer>& requests) {
  boost::system::error_code ec;
  const std::size_t taken = send_now(stream, requests, ec);
  if (ec != asio::error::would_block) co_return ec;
  co_return co_await send_rest(stream, requests, taken);
}

template asio::awaitable<boost::system::error_code> write_requests(
    asio::ip::tcp::socket&, const std::vector<asio::const_buffer>&);
template asio::awaitable<boost::system::error_code> write_requests(
    TlsStream&, const std::vector<asio::const_buffer>&);

}  // namespace corobench
