#include "client/conn_state.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>

namespace corobench {

namespace asio = boost::asio;
namespace http = boost::beast::http;

ErrorKind classify(const boost::beast::error_code& ec, const ConnState& st, ErrorKind io_kind) {
  const bool cancelled = ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor;
  if (cancelled && st.stopped) return ErrorKind::stopped;
  if (cancelled && st.timed_out) return ErrorKind::timeout;
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category()) {
    // The peer closed mid-answer: a broken connection, not bad HTTP.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
      return ErrorKind::read;
    }
    return ErrorKind::malformed;
  }
  return io_kind;
}

}  // namespace corobench
