#include "common/json_error.hpp"

#include <boost/json.hpp>

namespace coroserve {

std::string json_error_body(unsigned status, std::string_view error, std::string_view detail) {
  boost::json::object o;
  o["error"] = error;
  o["detail"] = detail;
  o["status"] = status;
  std::string s = boost::json::serialize(o);
  s += '\n';
  return s;
}

}  // namespace coroserve
