#pragma once
// A new connection's TLS handshake, driven on the loop before its session
// begins. The loop moves ciphertext between the socket and the connection's
// ciphertext buffers; OpenSSL's part, SSL_do_handshake until it wants more
// bytes (a step, handshake_step.hpp), runs on a worker through the pool's
// urgent lane (ahead of CPU requests, at most --max-pending-handshakes
// waiting) or, with --tls-handshake-on loop, right here on the loop.
//
// The SSL* is the one piece of connection state that crosses to the pool:
// handed over whole through the pool's queue, untouched by the loop while
// the step runs (this coroutine waits for the step, and nothing else uses a
// connection before its session begins), and freed only after the step has
// returned: the connection lives in this coroutine, which resumes only once
// the worker posts the step's result, and at shutdown the pool is joined
// before the loop's coroutines are destroyed.
#include <boost/asio/awaitable.hpp>

#include "server/connection.hpp"

namespace coroserve {
struct ServerState;
class ConnectionRegistry;
}  // namespace coroserve

namespace coroserve::tls {

// Registers the connection and runs its handshake under
// --tls-handshake-timeout-ms. True when its session may begin; otherwise the
// connection has been closed, removed and counted (coroserve_tls_handshakes_total).
boost::asio::awaitable<bool> accept(ServerState& state, ConnectionRegistry& registry,
                                    Connection& conn);

}  // namespace coroserve::tls
