#include "server/offload.hpp"

namespace coroserve {

Where where_to_run(const RequestContext& ctx) {
  const bool on_loop = ctx.params.choice("where") == "loop";
  if (on_loop && !ctx.server.config.cpu_on_loop) {
    throw HttpError(http::status::forbidden, "cpu_on_loop_disabled",
                    "where=loop is disabled on this server (--cpu-on-loop=false)");
  }
  return on_loop ? Where::loop : Where::pool;
}

namespace detail {

// The query's timeout_ms wins over the header. Two headers are refused, as
// a repeated query parameter is: taking either would be a guess.
Clock::time_point request_deadline(const RequestContext& ctx) {
  if (ctx.request.count("X-Timeout-Ms") > 1) {
    throw HttpError(http::status::bad_request, "invalid_parameter",
                    "header 'X-Timeout-Ms' is given more than once");
  }
  auto ms = ctx.params.given("timeout_ms");
  // An empty header is checked too (and refused), as an empty ?timeout_ms= is.
  if (const auto header = ctx.request.find("X-Timeout-Ms"); !ms && header != ctx.request.end()) {
    ms = QueryParams::parse_uint("X-Timeout-Ms", header->value(), kTimeoutMsParam.min,
                                 kTimeoutMsParam.max);
  }
  return ms ? ctx.started + std::chrono::milliseconds(*ms) : Clock::time_point::max();
}

std::string request_client_key(const RequestContext& ctx) {
  return client_key(ctx.server.client_key_rule, ctx.origin, ctx.request);
}

Admission admission_of(RequestContext& ctx, std::string_view key) {
  Admission a{key, ctx.notes.admitted};
  ctx.notes.admitted = true;
  return a;
}

void deadline_exceeded(RequestContext& ctx, bool started) {
  ++(started ? ctx.server.metrics.deadline_running : ctx.server.metrics.deadline_queued);
  ctx.notes.shed = ShedReason::deadline;
  throw HttpError(http::status::gateway_timeout, "deadline_exceeded",
                  started ? "the work ran past the request's deadline (X-Timeout-Ms / timeout_ms)"
                          : "the work could not start before the request's deadline "
                            "(X-Timeout-Ms / timeout_ms); it was dropped from the queue");
}

DeadlineCancel::DeadlineCancel(boost::asio::any_io_executor loop,
                               boost::asio::cancellation_slot client_gone,
                               Clock::time_point deadline)
    : client_gone_(client_gone), timer_(std::move(loop), deadline), deadline_(deadline) {
  auto shared = shared_;
  client_gone_.assign([shared](boost::asio::cancellation_type t) { shared->signal.emit(t); });
  timer_.async_wait([shared](boost::system::error_code ec) {
    if (ec) return;
    shared->deadline_passed = true;
    shared->signal.emit(boost::asio::cancellation_type::terminal);
  });
}

DeadlineCancel::~DeadlineCancel() {
  timer_.cancel();
  if (client_gone_.is_connected()) client_gone_.clear();
}

bool DeadlineCancel::deadline_passed() const {
  return shared_->deadline_passed || Clock::now() >= deadline_;
}

}  // namespace detail
}  // namespace coroserve
