#pragma once
// The error a bounded resource throws when a request would pass its bound
// (the worker queue, its time in queue, a client's share, the image memory):
// the client gets 503 (429 past its own share) with Retry-After, the request
// is counted as shed under its reason, and the server stays healthy.
#include <array>
#include <stdexcept>
#include <string>
#include <string_view>

namespace coroserve {

// Why a request was shed: the label of coroserve_requests_shed_total.
enum class ShedReason {
  queue_time,    // the queue has stood above --queue-target-ms for an interval
  queue_full,    // --queue parts already waiting
  client_cap,    // the client has --max-queued-per-client parts waiting (429)
  deadline,      // the request's own deadline passed (504; deadline_exceeded)
  image_memory,  // --max-image-bytes of renders in flight
};

inline constexpr std::array kShedReasons = {ShedReason::queue_time, ShedReason::queue_full,
                                            ShedReason::client_cap, ShedReason::deadline,
                                            ShedReason::image_memory};

constexpr std::string_view name(ShedReason r) {
  switch (r) {
    case ShedReason::queue_time:
      return "queue_time";
    case ShedReason::queue_full:
      return "queue_full";
    case ShedReason::client_cap:
      return "client_cap";
    case ShedReason::deadline:
      return "deadline";
    case ShedReason::image_memory:
      return "image_memory";
  }
  return "unknown";
}

class Overloaded : public std::runtime_error {
 public:
  // `retry_after_s`: when a retry has a fair chance, in whole seconds (at least 1).
  Overloaded(ShedReason reason, const std::string& detail, unsigned retry_after_s = 1)
      : std::runtime_error(detail),
        reason_(reason),
        retry_after_s_(retry_after_s < 1 ? 1 : retry_after_s) {}
  ShedReason reason() const { return reason_; }
  unsigned retry_after_s() const { return retry_after_s_; }
  // 429 when the client passed its own share, 503 when the server is full.
  unsigned status() const { return reason_ == ShedReason::client_cap ? 429 : 503; }

 private:
  ShedReason reason_;
  unsigned retry_after_s_;
};

}  // namespace coroserve
