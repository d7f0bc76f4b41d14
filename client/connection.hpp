#pragma once
#include <boost/asio/awaitable.hpp>

#include "client/thread_context.hpp"

namespace corobench {

// One connection's whole life: connect, send (paced in an open loop), read
// each answer with a fresh Beast parser, record, repeat until the run ends;
// reconnects after errors and, with --no-keepalive, after every request.
// `index` is the connection's number among all of the run's connections.
boost::asio::awaitable<void> run_connection(ThreadContext& ctx, unsigned index);

}  // namespace corobench
