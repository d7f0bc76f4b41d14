#pragma once
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace corobench {

// The completion token of every wait on a connection's socket or timer.
// Errors come back as values, not exceptions: a refused connection or a
// timeout is an expected outcome here, thousands of times a second.
inline constexpr auto use_nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace corobench
