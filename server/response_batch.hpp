#pragma once
// The answers of one connection on their way out. A pipelining client has
// its next request here already: that request's answer is batched with this
// one into one write (one syscall for many answers), as long as its header
// is complete, so the server never waits on the network while holding
// answers back. Everything else goes out at once.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "server/connection.hpp"
#include "server/http_types.hpp"
#include "server/response_writer.hpp"

namespace coroserve {

class ResponseBatch {
 public:
  ResponseBatch(Connection& conn, std::chrono::milliseconds write_timeout)
      : conn_(conn), write_timeout_(write_timeout) {}

  // Writes the response, or holds it back when `next_request_ready` (the
  // next request's header is buffered) and the batch has room. False when
  // the connection failed.
  boost::asio::awaitable<bool> write(const Response& res, const ResponseFraming& framing,
                                     bool next_request_ready);

  // Sends what was held back, then `more` (an interim answer such as
  // "100 Continue"). Called before anything else is read or written, and
  // before the connection ends.
  boost::asio::awaitable<bool> flush(std::string_view more = {});

 private:
  using Buffers = std::array<boost::asio::const_buffer, 2>;
  // Writes what the stream takes without waiting: the outcome when that
  // was everything, nothing when the rest must wait for send_rest(). A plain
  // function, so that the usual answer costs no coroutine of its own.
  std::optional<bool> send_at_once(const Buffers& buffers, std::size_t& written);
  boost::asio::awaitable<bool> send_rest(Buffers buffers, std::size_t written);
  void sent();  // the batch is out: empty it

  Connection& conn_;
  std::chrono::milliseconds write_timeout_;
  std::string pending_;  // serialized answers held back for one write
  std::size_t pending_count_ = 0;
};

}  // namespace coroserve
