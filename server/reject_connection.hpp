#pragma once
// Past --max-connections a newcomer gets 503 and is closed at once, without
// a session. Best effort: one non-blocking write, so a flood of them costs
// nothing. Nothing was read, so no request is logged: the refusal is
// counted in coroserve_connections_rejected_total.
#include <boost/asio/ip/tcp.hpp>

namespace coroserve {

struct ServerState;

void reject_connection(ServerState& state, boost::asio::ip::tcp::socket socket);

}  // namespace coroserve
