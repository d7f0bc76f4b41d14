#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>

#include "client/response_parser.hpp"

namespace corobench {

struct ReadResult {
  boost::beast::error_code ec;
  std::size_t bytes = 0;  // parsed from the wire: head and body
};

// Sets the limits every response is read with. After a HEAD request no body
// follows, whatever Content-Length says: the parser must be told.
void expect_response(ResponseParser& parser, bool head_request);

// Reads one response into `parser`, first from what `buf` already holds (the
// rest of an earlier read: answers to a pipelined batch arrive together),
// then from the socket. What http::async_read does, without its
// composed-operation layers (measured as a few percent of the CPU per
// request).
boost::asio::awaitable<ReadResult> read_response(boost::asio::ip::tcp::socket& sock,
                                                 boost::beast::flat_buffer& buf,
                                                 ResponseParser& parser);

}  // namespace corobench
