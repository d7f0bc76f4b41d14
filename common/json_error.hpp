#pragma once
#include <string>
#include <string_view>

namespace coroserve {

// The one error shape of the house:
//   {"error": "<what>", "detail": "<why>", "status": 400}
std::string json_error_body(unsigned status, std::string_view error, std::string_view detail);

}  // namespace coroserve
