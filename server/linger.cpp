#include "server/linger.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>

#include "server/socket_state.hpp"

namespace coroserve {

namespace {

namespace asio = boost::asio;

constexpr auto kLingerTime = std::chrono::milliseconds(1000);
constexpr std::size_t kLingerBytes = 1 << 20;

}  // namespace

// The discarded bytes are read off the socket as they are: with TLS they
// are records nobody needs to decrypt.
asio::awaitable<void> linger_close(Connection& conn) {
  boost::system::error_code ec;
  conn.stream.shutdown_send(ec);
  if (ec) co_return;
  conn.enter(Phase::closing, kLingerTime);
  std::size_t discarded = 0;
  char sink[4096];
  while (discarded < kLingerBytes) {
    auto [rec, n] = co_await conn.stream.socket().async_read_some(
        asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (rec || conn.timed_out()) break;
    discarded += n;
  }
}

// Plain HTTP asks the reactor first, which answers without a syscall when
// nothing was reported since the request was read: most of the time.
bool may_close_at_once(Connection& conn, bool unread_buffered) {
  if (unread_buffered) return false;
  if (!conn.stream.tls() && !may_have_unread_input(conn.stream.socket())) return true;
  return conn.stream.peek_client() != Stream::Peek::data;
}

}  // namespace coroserve
