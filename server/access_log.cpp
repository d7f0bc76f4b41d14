#include "server/access_log.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "common/http_text.hpp"

namespace coroserve {

void log_access(std::string_view request_id, std::uint64_t conn, const Request* head,
                const Response& res, std::chrono::nanoseconds elapsed, const RequestNotes& notes) {
  const std::string_view method = head ? head->method_string() : "-";
  std::string storage;
  const std::string_view target = head ? quote_client_bytes(head->target(), storage) : "-";
  using std::chrono::duration_cast;
  using us = std::chrono::microseconds;
  spdlog::info(
      "access id={} conn={} method={} target=\"{}\" status={} bytes={} duration_us={} "
      "where={} queue_wait_us={} compute_us={}",
      request_id, conn, method, target, res.result_int(), res.body().size(),
      duration_cast<us>(elapsed).count(), notes.where.empty() ? "-" : notes.where,
      duration_cast<us>(notes.queue_wait).count(), duration_cast<us>(notes.compute).count());
}

}  // namespace coroserve
