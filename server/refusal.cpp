#include "server/refusal.hpp"

#include "server/request_id.hpp"
#include "server/response_writer.hpp"

namespace coroserve {

Refusal make_refusal(const Response& res, std::string_view date) {
  Refusal refusal;
  make_request_id(refusal.request_id);
  append_response(refusal.wire, res, {date, refusal.request_id, false, /*close=*/true, false});
  return refusal;
}

}  // namespace coroserve
