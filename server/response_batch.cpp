#include "server/response_batch.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>

namespace coroserve {

namespace asio = boost::asio;

namespace {

// Pipelined answers batched into one write: at most this many, this big.
constexpr std::size_t kMaxBatchedResponses = 64;
constexpr std::size_t kMaxBatchedBytes = 64 * 1024;
// A body up to this size is copied beside its head (one buffer, and the
// copy is cheaper than a second iovec); a larger one is written in place.
constexpr std::size_t kCopiedBodyBytes = 16 * 1024;
// Room for a usual answer, reserved at the first one: grown from empty, the
// buffer would be allocated four times over on a connection's first answer.
constexpr std::size_t kFirstAnswerBytes = 512;

// With epoll, a write tried at once saves a trip through the reactor. With
// io_uring, a plain connection's write is better queued in the ring: the
// loop submits it with the next read in one io_uring_enter, where trying it
// at once costs a send syscall per answer. TLS always tries at once, as
// its records go out through the non-blocking socket.
#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
constexpr bool kPlainWritesAtOnce = false;
#else
constexpr bool kPlainWritesAtOnce = true;
#endif

}  // namespace

asio::awaitable<bool> ResponseBatch::write(const Response& res, const ResponseFraming& framing,
                                           bool next_request_ready) {
  const auto body = wire_body(res, framing);
  const bool hold = next_request_ready && !framing.close &&
                    pending_count_ + 1 < kMaxBatchedResponses &&
                    pending_.size() + body.size() < kMaxBatchedBytes;
  if (pending_.capacity() < kFirstAnswerBytes) pending_.reserve(kFirstAnswerBytes);
  append_response_head(pending_, res, framing);
  ++pending_count_;
  const bool copy = hold || body.size() <= kCopiedBodyBytes;
  if (copy) pending_ += body;
  if (hold) co_return true;
  // A large body goes out from where it is, beside the head(s).
  const Buffers buffers{asio::const_buffer(asio::buffer(pending_)),
                        copy ? asio::const_buffer() : asio::buffer(body)};
  std::size_t written = 0;
  if (const auto done = send_at_once(buffers, written)) co_return *done;
  co_return co_await send_rest(buffers, written);
}

asio::awaitable<bool> ResponseBatch::flush(std::string_view more) {
  if (pending_.empty() && more.empty()) co_return true;
  const Buffers buffers{asio::const_buffer(asio::buffer(pending_)), asio::buffer(more)};
  std::size_t written = 0;
  if (const auto done = send_at_once(buffers, written)) co_return *done;
  co_return co_await send_rest(buffers, written);
}

// The stream is tried first without waiting (except plain connections with
// io_uring, above): it nearly always takes the whole answer at once, and
// then the coroutine goes on without a trip through the scheduler.
std::optional<bool> ResponseBatch::send_at_once(const Buffers& buffers, std::size_t& written) {
  boost::system::error_code ec;
  if (kPlainWritesAtOnce || conn_.stream.tls()) {
    written = conn_.stream.write_now(buffers, ec);
  } else {
    ec = asio::error::would_block;  // all of it through the ring
  }
  if (ec == asio::error::would_block || ec == asio::error::try_again) return std::nullopt;
  sent();
  return !ec;
}

// What the stream did not take at once is written asynchronously, under
// the write timeout (with TLS the rest may be empty while records still
// wait: the stream's write sends them).
asio::awaitable<bool> ResponseBatch::send_rest(Buffers buffers, std::size_t written) {
  conn_.enter(Phase::writing, write_timeout_);
  boost::beast::buffers_suffix<Buffers> rest(buffers);
  rest.consume(written);
  const auto [ec, n] =
      co_await asio::async_write(conn_.stream, rest, asio::as_tuple(asio::use_awaitable));
  sent();
  co_return !ec;
}

void ResponseBatch::sent() {
  pending_.clear();
  pending_count_ = 0;
}

}  // namespace coroserve
