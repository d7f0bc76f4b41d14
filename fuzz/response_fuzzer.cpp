// corobench's response parser (client/response_parser.hpp), fed any bytes
// in pieces as a server's answers arrive: one response after another on a
// keep-alive connection, HEAD or not. It must stop with an error or a
// complete message, never read out of bounds or loop without progress.
#include <boost/asio/buffer.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

#include "client/response_parser.hpp"
#include "fuzz/common.hpp"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool head = (data[0] & 0x80) != 0;
  const std::size_t step = (data[0] & 0x7f) == 0 ? size : (data[0] & 0x7f);
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string pending;
  std::size_t offset = 0;
  for (int message = 0; message < 64; ++message) {
    corobench::ResponseParser parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(boost::none);
    if (head) parser.skip(true);
    for (;;) {
      boost::system::error_code ec;
      std::size_t used = 0;
      if (!pending.empty()) {
        used = parser.put(boost::asio::buffer(pending), ec);
        if (used > pending.size()) coroserve::fuzz::fail("parser used more than it was given");
        pending.erase(0, used);
      }
      if (parser.is_done()) break;
      if (ec && ec != http::error::need_more) return 0;
      if (used == 0 || pending.empty()) {  // it needs more bytes than it has
        if (offset >= input.size()) {
          parser.put_eof(ec);  // the server closed: a close-delimited body ends here
          return 0;
        }
        pending.append(input.substr(offset, step));
        offset += step;
      }
    }
    // Beast takes any three digits ("004" too, found by this fuzzer; seed
    // regress-status-004): corobench counts statuses in an array of 1000,
    // so what must hold is the upper bound.
    if (parser.status() > 999) coroserve::fuzz::fail("status past the stats array");
    if (pending.empty() && offset >= input.size()) return 0;
  }
  return 0;
}
