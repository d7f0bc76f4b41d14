#include "server/request_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <algorithm>
#include <iterator>

#include "server/read_errors.hpp"
#include "server/response_batch.hpp"
#include "server/server_state.hpp"

namespace coroserve {

namespace asio = boost::asio;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// A body is read up to 64 KiB at a time, as Beast's own reads do.
constexpr std::size_t kBodyReadChunk = 64 * 1024;

// Beast 1.81 appends chunked trailer fields to the request's header fields
// (unfolding obs-fold lines on the way). No endpoint uses trailers, so they
// are dropped: nothing sent after the body can change how the request is
// read or routed.
void drop_trailers(Request& req, std::ptrdiff_t header_fields) {
  auto it = req.begin();
  std::advance(it, header_fields);
  while (it != req.end()) it = req.erase(it);
}

}  // namespace

void limit_to_the_head(RequestParser& parser, const RequestLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_head_bytes()));
  parser.body_limit(boost::none);
}

// The parser noted "close" and "keep-alive" from every Connection line as it
// read them; the message's own keep_alive() would look the field up and read
// its tokens again, and only its first line. Beast's parser answers HTTP/1.0
// by "keep-alive" alone, where "close" wins in any version (RFC 9112 §9.3),
// as it does in nginx: that rare case alone reads the lines again.
bool client_keeps_alive(const RequestParser& parser) {
  if (!parser.keep_alive()) return false;
  const Request& req = parser.get();
  if (req.version() >= 11) return true;
  const auto [first, last] = req.equal_range(http::field::connection);
  return std::none_of(
      first, last, [](const auto& line) { return http::token_list(line.value()).exists("close"); });
}

RequestReader::RequestReader(Connection& conn, const ServerState& state)
    : conn_(conn),
      state_(state),
      limits_{state.config.max_url_bytes, state.config.max_header_bytes,
              state.config.max_body_bytes} {
  // Room for the largest header plus pipelined requests behind it; the
  // parser's own limits stop a request before this does.
  buffer_.max_size(limits_.max_head_bytes() + 64 * 1024);
}

asio::awaitable<Arrival> RequestReader::next_request() {
  // Empty lines that came with the last request (a CRLF after its body) are
  // not the start of the next one: the connection stays idle.
  drop_empty_lines();
  if (has_buffered()) co_return Arrival::request;
  if (state_.draining) co_return Arrival::closed;
  conn_.enter(Phase::idle, state_.config.idle_timeout);
  auto [ec, n] = co_await conn_.stream.async_read_some(buffer_.prepare(kReadChunk), kTuple);
  if (!ec) {
    buffer_.commit(n);
    co_return Arrival::request;
  }
  // The sweeper asked: idle too long, the session gives its memory back.
  const bool park = ec == asio::error::operation_aborted && conn_.cancelled == CancelReason::park &&
                    !state_.draining;
  co_return park ? Arrival::park : Arrival::closed;  // else closed, idle timeout or drain
}

std::optional<Step> RequestReader::head_if_buffered(RequestParser& parser, Target& target) {
  conn_.enter(Phase::reading_header, state_.config.header_timeout);
  // Usually the whole header came with the first read: no wait here.
  if (scan(0) == HeaderScan::incomplete) return std::nullopt;
  return parse_head(parser, target);
}

asio::awaitable<Step> RequestReader::read_head(RequestParser& parser, Target& target) {
  if (scan(0) == HeaderScan::incomplete) {
    if (auto ec = co_await read_rest_of_header()) co_return read_failed(ec, false);
    if (auto step = parse_head(parser, target)) co_return *step;
  }
  // The parser asked for more bytes than the scan waited for (it stops
  // early at a limit): Beast reads them.
  const auto [ec, n] = co_await http::async_read_header(conn_.stream, buffer_, parser, kTuple);
  co_return checked_head(ec, parser, target);
}

// The raw header is checked, then the parser's own put() parses it in
// place (Beast's async_read_header would add a composed operation and a
// trip through the scheduler). Nothing when the parser needs more bytes.
std::optional<Step> RequestReader::parse_head(RequestParser& parser, Target& target) {
  if (auto err = raw_head_error()) return EarlyEnd{std::move(*err)};
  serve_higher_minor_as_11(static_cast<char*>(buffer_.data().data()), buffer_.size());
  boost::system::error_code ec;
  buffer_.consume(parser.put(buffer_.data(), ec));
  if (ec == http::error::need_more) return std::nullopt;
  return checked_head(ec, parser, target);
}

// What the raw bytes of a whole header already refuse: an obs-fold, and
// fields past their limit (the parser's own limit is the sum of the request
// line's and the fields').
std::optional<HttpError> RequestReader::raw_head_error() const {
  // Nearly every head passes: the refusal is looked into only for one that
  // may not.
  const bool suspect = head_scan_.not_http || head_scan_.obs_fold ||
                       head_scan_.head_bytes > limits_.max_header_bytes;
  return suspect ? raw_head_refusal() : std::nullopt;
}

std::optional<HttpError> RequestReader::raw_head_refusal() const {
  if (head_scan_.not_http) {
    return HttpError(http::status::bad_request, "bad_request",
                     "the bytes received do not begin an HTTP request (a TLS handshake sent to "
                     "a plain HTTP port?)");
  }
  if (head_scan_.state != HeaderScan::complete) return std::nullopt;
  if (head_scan_.obs_fold) {
    return HttpError(http::status::bad_request, "bad_request",
                     "obsolete line folding (a header line starting with whitespace) "
                     "is not accepted");
  }
  if (head_scan_.head_bytes > limits_.max_header_bytes &&
      field_bytes(buffered(), head_scan_.head_bytes) > limits_.max_header_bytes) {
    return header_too_large(limits_);
  }
  return std::nullopt;
}

Step RequestReader::checked_head(boost::system::error_code ec, const RequestParser& parser,
                                 Target& target) const {
  if (ec) return read_failed(ec, false);
  // A request line past its limit for a long method rather than target:
  // refused as the target would be, after the parse (so its ID is echoed).
  if (request_line_too_long_) return EarlyEnd{uri_too_long(limits_)};
  if (auto err = check_request_head(parser.get().base(), limits_, &target)) {
    return EarlyEnd{std::move(*err)};
  }
  return std::nullopt;
}

// Reads until the end of the header is in the buffer, so that the raw bytes
// can be checked before Beast parses them.
asio::awaitable<boost::system::error_code> RequestReader::read_rest_of_header() {
  std::size_t scanned = 0;
  do {
    scanned = buffer_.size();
    auto [ec, n] = co_await conn_.stream.async_read_some(buffer_.prepare(kReadChunk), kTuple);
    if (ec == asio::error::eof) co_return make_error_code(http::error::end_of_stream);
    if (ec) co_return ec;
    // Past the deadline, bytes that beat the sweep's cancel do not buy more
    // time (a cancel that meets a completing read is lost).
    if (conn_.timed_out()) co_return make_error_code(asio::error::operation_aborted);
    buffer_.commit(n);
  } while (scan(scanned) == HeaderScan::incomplete);
  co_return boost::system::error_code{};
}

asio::awaitable<Step> RequestReader::read_body(RequestParser& parser, ResponseBatch& batch) {
  const auto length = parser.content_length();
  if (auto err = check_declared_length(length ? std::optional(*length) : std::nullopt, limits_)) {
    co_return EarlyEnd{std::move(*err)};
  }
  parser.body_limit(limits_.max_body_bytes);  // see limit_to_the_head()
  const bool expects = expects_continue(parser.get());
  if (!co_await batch.flush(expects ? "HTTP/1.1 100 Continue\r\n\r\n" : "")) co_return EarlyEnd{};
  conn_.enter(Phase::reading_body, state_.config.body_timeout);
  extensions_ = {&parser, limits_.max_body_bytes, 0};
  parser.on_chunk_header(extensions_);
  const auto header_fields = std::distance(parser.get().begin(), parser.get().end());
  while (!parser.is_done()) {
    if (auto ec = co_await read_some_body(parser)) co_return read_failed(ec, true);
  }
  drop_trailers(parser.get(), header_fields);
  co_return std::nullopt;
}

// Parses what is buffered, reading first while the parser needs more: the
// step Beast's http::async_read_some takes, with one check added. Beast
// ends a chunked body's lines only at CRLF, so a client that ends them in
// LF alone would wait for a CR it never sends, and hear back only at the
// body timeout. What the parser leaves unconsumed while it needs more is
// the start of a chunk line (or of the trailer section), where no bare LF
// can belong: one there is refused at once.
asio::awaitable<boost::system::error_code> RequestReader::read_some_body(RequestParser& parser) {
  std::size_t checked = 0;  // of the unconsumed bytes, looked at for a bare LF
  for (;;) {
    boost::system::error_code ec;
    if (buffer_.size() != 0) {
      const std::size_t used = parser.put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec != http::error::need_more) co_return ec;
      if (used != 0) checked = 0;  // the bytes looked at moved
      if (parser.chunked() && has_bare_lf(buffered(), checked)) {
        co_return http::error::bad_line_ending;
      }
      checked = buffer_.size();
    }
    const std::size_t room = boost::beast::read_size(buffer_, kBodyReadChunk);
    if (room == 0) co_return http::error::buffer_overflow;  // a chunk line past the buffer
    auto [rec, n] = co_await conn_.stream.async_read_some(buffer_.prepare(room), kTuple);
    if (rec == asio::error::eof) co_return http::error::partial_message;  // gone mid-body
    if (rec) co_return rec;
    if (conn_.timed_out()) co_return asio::error::operation_aborted;  // as for the header
    buffer_.commit(n);
  }
}

Request RequestReader::release(RequestParser& parser, Target& target) {
  // The target's views point into the message's storage.
  const char* const target_at = parser.get().target().data();
  Request req = parser.release();
  if (req.target().data() != target_at) target = *split_target(req.target());
  return req;
}

// Decided on the raw bytes as they came: after a failed parse, Beast may
// have consumed the request line already.
HeaderScan RequestReader::scan(std::size_t scanned) {
  // Empty lines that came after the wait ended are skipped within the header
  // timeout, so a client that sends only CRLFs is timed out.
  const std::size_t dropped = drop_empty_lines();
  scanned = scanned > dropped ? scanned - dropped : 0;
  request_line_too_long_ = request_line_too_long(buffered(), limits_.max_url_bytes);
  const HeadScan s = scan_header(buffered(), scanned, limits_.max_head_bytes());
  // Each scan looks only at what is new: a fold seen earlier still counts.
  head_scan_ = {s.state, (scanned != 0 && head_scan_.obs_fold) || s.obs_fold, s.bare_lf,
                s.head_bytes, s.not_http};
  return s.state;
}

EarlyEnd RequestReader::read_failed(boost::system::error_code ec, bool in_body) const {
  const ReadFailure failure{ec, conn_.timed_out(), in_body, request_line_too_long_, buffered()};
  return {answer_read_failure(failure, limits_)};
}

std::size_t RequestReader::drop_empty_lines() {
  const std::size_t n = leading_empty_lines(buffered());
  buffer_.consume(n);
  return n;
}

}  // namespace coroserve
