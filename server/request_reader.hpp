#pragma once
// Reads one connection's requests from its socket: waits for the next one,
// reads the head (checked raw, then parsed and checked), reads the body.
// What ends a request early comes back as the answer to send, so that the
// session's loop stays a list of steps.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/parser.hpp>

#include <optional>
#include <string_view>

#include "server/connection.hpp"
#include "server/head_checks.hpp"
#include "server/http_types.hpp"
#include "server/raw_head.hpp"
#include "server/read_buffer.hpp"
#include "server/request_target.hpp"

namespace coroserve {

struct ServerState;
class ResponseBatch;

using RequestParser = http::request_parser<http::string_body, FieldsAllocator<char>>;

// Readies a new parser for a request's head, under --max-url-bytes and
// --max-header-bytes together (each is checked on its own part). The
// body's limit is set by RequestReader::read_body() once the head is in: set
// now, Beast would refuse a declared length past it before the head is
// whole, and the answer could not name the request (its X-Request-Id, its
// method and target in the access log).
void limit_to_the_head(RequestParser& parser, const RequestLimits& limits);

// Whether the client lets the connection stay open after this request, from
// a parser whose head is in: HTTP/1.1 unless a Connection line says "close",
// HTTP/1.0 only when one says "keep-alive" and none says "close".
bool client_keeps_alive(const RequestParser& parser);

// A request that ends before its handler runs: answered with `error` when
// someone is there to read it, then the connection closes.
struct EarlyEnd {
  std::optional<HttpError> error;
};
using Step = std::optional<EarlyEnd>;  // nullopt: go on to the next step

// How the wait for a request ended.
enum class Arrival { request, closed, park };

// Counts a chunked body's extensions toward --max-body-bytes together with
// the body itself: they carry no data but cost reading all the same, and a
// body of tiny chunks behind long extensions must be bounded as a body is.
// The reader keeps it, as Beast keeps a reference to it while the parser
// lives.
struct ChunkExtensionCount {
  const RequestParser* parser = nullptr;
  std::uint64_t limit = 0;
  std::uint64_t bytes = 0;
  void operator()(std::uint64_t, boost::beast::string_view extensions,
                  boost::system::error_code& ec) {
    bytes += extensions.size();
    if (bytes + parser->get().body().size() > limit) ec = http::error::body_limit;
  }
};

class RequestReader {
 public:
  RequestReader(Connection& conn, const ServerState& state);

  // Waits for the first byte of the next request under the idle timeout;
  // the header timeout starts only once a request has begun. A pipelined
  // request is here already.
  boost::asio::awaitable<Arrival> next_request();

  // The head, parsed into the parser and checked, when the buffer holds all
  // of it (the usual case, at no coroutine's cost); nothing when more bytes
  // must be read first: then read_head() reads, parses and checks it. On
  // success `target` holds the split target. Starts the header timeout.
  std::optional<Step> head_if_buffered(RequestParser& parser, Target& target);
  boost::asio::awaitable<Step> read_head(RequestParser& parser, Target& target);

  // Reads the body of a request whose head said it has one (the parser is
  // not done; a request without a body skips this step), under
  // --max-body-bytes, which the head was read without. Answers held back
  // in `batch` go out before the wait, with "100 Continue" when the client
  // asked for it.
  boost::asio::awaitable<Step> read_body(RequestParser& parser, ResponseBatch& batch);

  // The request, out of its parser, its target split again if that moved it.
  static Request release(RequestParser& parser, Target& target);

  const RequestLimits& limits() const { return limits_; }
  bool has_buffered() const { return buffer_.size() != 0; }
  // A pipelining client's next request is here, header and all.
  bool next_request_ready() const { return buffered().find("\r\n\r\n") != std::string_view::npos; }

 private:
  boost::asio::awaitable<boost::system::error_code> read_rest_of_header();
  boost::asio::awaitable<boost::system::error_code> read_some_body(RequestParser& parser);
  std::optional<Step> parse_head(RequestParser& parser, Target& target);
  std::optional<HttpError> raw_head_error() const;
  std::optional<HttpError> raw_head_refusal() const;
  Step checked_head(boost::system::error_code ec, const RequestParser& parser,
                    Target& target) const;
  HeaderScan scan(std::size_t scanned);
  // Skips the empty lines RFC 9112 lets come before a request line; how
  // many bytes that was.
  std::size_t drop_empty_lines();
  EarlyEnd read_failed(boost::system::error_code ec, bool in_body) const;
  std::string_view buffered() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  Connection& conn_;
  const ServerState& state_;
  RequestLimits limits_;
  ReadBuffer buffer_;
  bool request_line_too_long_ = false;  // of the request being read
  HeadScan head_scan_;                  // of the header read so far
  ChunkExtensionCount extensions_;      // of the body being read
};

}  // namespace coroserve
