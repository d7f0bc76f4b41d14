#include "server/admission.hpp"

#include <algorithm>

namespace coroserve {

namespace {

// Weight of a new service-time sample in the moving average: 1/8, so a
// change in the work's cost shows within a few dozen parts.
constexpr std::int64_t kServiceSmoothing = 8;
// Retry-After past a minute would tell a client to give up; cap it there.
constexpr unsigned kMaxRetryAfterS = 60;

}  // namespace

AdmissionController::AdmissionController(Options options) : options_(options) {
  options_.workers = std::max(1u, options_.workers);
}

void AdmissionController::on_dequeue(Clock::time_point now, Duration sojourn, std::size_t left) {
  head_since_ = left > 0 ? std::optional(now) : std::nullopt;
  // Below the target, or nothing left behind: the queue did come down.
  if (sojourn < options_.target || left == 0) {
    above_since_.reset();
    return;
  }
  above_target(now, now);
}

void AdmissionController::on_service(Duration service) {
  const auto ns = std::max<std::int64_t>(service.count(), 0);
  service_ns_ = service_ns_ == 0 ? ns : service_ns_ + (ns - service_ns_) / kServiceSmoothing;
}

void AdmissionController::observe_queue(Clock::time_point now, std::size_t queued) {
  if (queued == 0) {
    above_since_.reset();
    head_since_ = now;  // what is admitted now will be the head
    return;
  }
  // With every worker busy on long parts no dequeue reports the wait, but
  // the head's age is known from below: it passed the target back then.
  if (head_since_ && now - *head_since_ >= options_.target) {
    above_target(*head_since_ + options_.target, now);
  }
}

void AdmissionController::above_target(Clock::time_point since, Clock::time_point now) {
  if (!above_since_) above_since_ = since;
  if (now - *above_since_ >= options_.interval) shed_mark_ = now;
}

AdmissionController::Duration AdmissionController::drain_time(std::size_t parts) const {
  return Duration(service_ns_ * static_cast<std::int64_t>(parts) /
                  static_cast<std::int64_t>(options_.workers));
}

unsigned AdmissionController::retry_after_s(std::size_t parts) const {
  constexpr std::int64_t kSecond = 1'000'000'000;
  const auto ns = drain_time(parts).count();
  const auto s = (ns + kSecond - 1) / kSecond;
  return static_cast<unsigned>(std::clamp<std::int64_t>(s, 1, kMaxRetryAfterS));
}

}  // namespace coroserve
