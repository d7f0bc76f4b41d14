#pragma once
// Certificate reload (SIGHUP): the context is built again from the same
// --tls-cert and --tls-key files, on a worker (reading files and decoding a
// key is no work for the loop), and swapped in on the loop. New handshakes
// take the new context; open connections keep theirs and are not dropped.
// A pair that does not load is logged and the old context stays. Session
// tickets issued before the reload still resume after it.
#include <boost/asio/awaitable.hpp>

namespace coroserve {
struct ServerState;
}

namespace coroserve::tls {

boost::asio::awaitable<void> reload(ServerState& state);

}  // namespace coroserve::tls
