#include "server/reject_connection.hpp"

#include <boost/asio/write.hpp>

#include <string>

#include "server/http_responses.hpp"
#include "server/refusal.hpp"
#include "server/server_state.hpp"

namespace coroserve {

void reject_connection(ServerState& state, boost::asio::ip::tcp::socket socket) {
  auto res = error_response(http::status::service_unavailable, "too_many_connections",
                            "the server holds --max-connections (" +
                                std::to_string(state.config.max_connections) +
                                ") connections; retry later");
  res.set(http::field::retry_after, "1");
  const Refusal refusal = make_refusal(res, state.date.now());
  boost::system::error_code ec;
  if (!socket.non_blocking()) socket.non_blocking(true, ec);
  boost::asio::write(socket, boost::asio::buffer(refusal.wire), ec);
  socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

}  // namespace coroserve
