#pragma once
#include <boost/asio/awaitable.hpp>

#include "client/thread_context.hpp"

namespace corobench {

// Cancels the socket of every connection whose deadline has passed; ends
// when the thread's last connection has.
boost::asio::awaitable<void> run_timeout_sweeper(ThreadContext& ctx);

}  // namespace corobench
