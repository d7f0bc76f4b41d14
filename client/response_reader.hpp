#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <optional>

#include "client/rate_scheduler.hpp"
#include "client/response_parser.hpp"
#include "client/tls_stream.hpp"

namespace corobench {

struct ReadResult {
  boost::beast::error_code ec;
  std::size_t bytes = 0;  // parsed from the wire: head and body
  // When the first and the last read that carried this answer completed;
  // both unset when it was already in the buffer (pipelined answers).
  Clock::time_point first_read{};
  Clock::time_point last_read{};
};

// Reads the final response to one request into `parser`, made afresh for
// each message: first from what `buf` already holds (the rest of an earlier
// read: answers to a pipelined batch arrive together), then from the stream.
// Interim 1xx answers before it (100 Continue, 103 Early Hints) are read and
// passed over, as RFC 9110 section 15.2 asks of a client; 101 ends HTTP on
// the connection and is final. After a HEAD request no body follows,
// whatever Content-Length says. What http::async_read does, without its
// composed-operation layers (measured as a few percent of the CPU per
// request). Defined for a plain socket and a TLS stream; over TLS a peer
// that closes without close_notify ends the stream as a plain close would.
template <typename Stream>
boost::asio::awaitable<ReadResult> read_response(Stream& stream, boost::beast::flat_buffer& buf,
                                                 std::optional<ResponseParser>& parser,
                                                 bool head_request);

extern template boost::asio::awaitable<ReadResult> read_response(boost::asio::ip::tcp::socket&,
                                                                 boost::beast::flat_buffer&,
                                                                 std::optional<ResponseParser>&,
                                                                 bool);
extern template boost::asio::awaitable<ReadResult> read_response(TlsStream&,
                                                                 boost::beast::flat_buffer&,
                                                                 std::optional<ResponseParser>&,
                                                                 bool);

}  // namespace corobench
