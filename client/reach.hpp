#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <optional>
#include <vector>

#include "client/connect.hpp"
#include "client/target_url.hpp"

namespace corobench {

// Resolves the target's host; throws RunError with the resolver's reason.
std::vector<boost::asio::ip::tcp::endpoint> resolve_target(const Target& t);

// The target's endpoints that a connection from `bind` can reach. Throws
// RunError when the host does not resolve, UsageError when none of its
// addresses is of the --bind address's family.
ConnectTarget connect_target(const Target& t, const std::optional<boost::asio::ip::address>& bind);

// One connect attempt, bounded by `timeout`, so that an unreachable target
// fails at once with a clear message (RunError) instead of a run full of
// connect errors; an unusable --bind address is a UsageError.
void check_reachable(const Target& t, const ConnectTarget& to, std::chrono::milliseconds timeout);

}  // namespace corobench
