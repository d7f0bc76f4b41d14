#pragma once
// Request IDs: an incoming X-Request-Id is kept when it is sane, otherwise
// the server makes one. Every log line about a request carries it.
#include <string>
#include <string_view>

namespace coroserve {

// 1..128 characters from [A-Za-z0-9._:/+=-]: safe to echo in a header and a
// log line (no spaces, quotes or control bytes).
bool is_valid_request_id(std::string_view id);

// 16 hex digits: a random per-process prefix and a per-thread counter, so IDs
// are unique without a lock or a syscall. Written into `id`, whose storage a
// connection reuses from request to request (16 characters are one more
// than std::string holds without the heap).
void make_request_id(std::string& id);

}  // namespace coroserve
