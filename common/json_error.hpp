#pragma once
#include <string>
#include <string_view>

namespace coroserve {

// The one error shape of the house:
//   {"error": "<what>", "detail": "<why>", "status": 400}
std::string json_error_body(unsigned status, std::string_view error, std::string_view detail);

// Client bytes quoted inside an error detail: printable ASCII is kept, every
// other byte (controls, NUL, quotes, backslash, non-ASCII) becomes \xHH, and
// more than `max` bytes are cut with "...". The JSON body then stays valid
// UTF-8 whatever the client sent, and the detail is never cut at a NUL.
std::string quote_client_bytes(std::string_view bytes, std::size_t max = 64);

}  // namespace coroserve
