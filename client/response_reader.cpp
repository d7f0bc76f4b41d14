#include "client/response_reader.hpp"

#include <boost/beast/http/error.hpp>

#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Response headers past this are a malformed (or hostile) answer.
constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;
// Bytes asked of each read; answers to pipelined batches may span several.
constexpr std::size_t kReadSize = 4096;

// Feeds what `buf` holds to the parser. True when that settles the answer
// (complete, or an error in r.ec); false when the socket must give more.
bool parse_buffered(beast::flat_buffer& buf, ResponseParser& p, ReadResult& r) {
  while (buf.size() > 0) {
    const std::size_t n = p.put(buf.data(), r.ec);
    buf.consume(n);
    r.bytes += n;
    if (r.ec == http::error::need_more) break;
    if (r.ec || p.is_done()) return true;
    if (n == 0) break;
  }
  r.ec = {};
  return false;
}

// The peer closed: that ends a close-delimited body, and is an error
// anywhere else (as in Beast's own read).
beast::error_code end_of_stream(ResponseParser& p) {
  if (!p.got_some()) return http::error::end_of_stream;
  beast::error_code ec;
  p.put_eof(ec);
  return ec;
}

// A 1xx answer other than 101: another answer follows it for the request.
bool is_interim(unsigned status) {
  return status >= 100 && status < 200 && status != 101;
}

// A fresh parser for the next message, with the limits every response is
// read with.
ResponseParser& start_message(std::optional<ResponseParser>& parser, bool head_request) {
  ResponseParser& p = parser.emplace();
  p.header_limit(kResponseHeaderLimit);
  p.body_limit(boost::none);
  if (head_request) p.skip(true);
  p.eager(true);  // header and body in one put() when both are there
  return p;
}

}  // namespace

template <typename Stream>
asio::awaitable<ReadResult> read_response(Stream& stream, beast::flat_buffer& buf,
                                          std::optional<ResponseParser>& parser,
                                          bool head_request) {
  ResponseParser* p = &start_message(parser, head_request);
  ReadResult r;
  for (;;) {
    if (parse_buffered(buf, *p, r)) {
      if (r.ec || !is_interim(p->status())) co_return r;
      p = &start_message(parser, head_request);
      continue;
    }
    auto [ec, n] = co_await stream.async_read_some(buf.prepare(kReadSize), use_nothrow);
    r.last_read = Clock::now();
    if (r.first_read == Clock::time_point{}) r.first_read = r.last_read;
    if (ec == asio::error::eof) {
      r.ec = end_of_stream(*p);
      co_return r;
    }
    if (ec) {
      r.ec = ec;
      co_return r;
    }
    buf.commit(n);
  }
}

template asio::awaitable<ReadResult> read_response(asio::ip::tcp::socket&, beast::flat_buffer&,
                                                   std::optional<ResponseParser>&, bool);
template asio::awaitable<ReadResult> read_response(TlsStream&, beast::flat_buffer&,
                                                   std::optional<ResponseParser>&, bool);

}  // namespace corobench
