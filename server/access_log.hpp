#pragma once
// The access log: one structured line per request answered, written only
// with --access-log (the caller checks it, so nothing is formatted without).
#include <chrono>
#include <cstdint>
#include <string_view>

#include "server/http_types.hpp"
#include "server/request_context.hpp"

namespace coroserve {

// `head` is null when no head was parsed: "-" then stands for the method and
// the target, as in nginx's log.
void log_access(std::string_view request_id, std::uint64_t conn, const Request* head,
                const Response& res, std::chrono::nanoseconds elapsed,
                const RequestNotes& notes = {});

}  // namespace coroserve
