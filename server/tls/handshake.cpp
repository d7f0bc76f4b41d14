#include "server/tls/handshake.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "server/access_log.hpp"
#include "server/connection_registry.hpp"
#include "server/http_responses.hpp"
#include "server/linger.hpp"
#include "server/refusal.hpp"
#include "server/server_state.hpp"
#include "server/tls/handshake_step.hpp"
#include "server/tls/leave_watch.hpp"
#include "server/tls/record_scan.hpp"

namespace coroserve::tls {

namespace {

namespace asio = boost::asio;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Status = StepResult::Status;

class Handshake {
 public:
  Handshake(ServerState& state, Connection& conn)
      : state_(state), conn_(conn), tls_(*conn.stream.tls()) {}

  asio::awaitable<Outcome> run();

  bool resumed() const { return SSL_session_reused(tls_.ssl()) == 1; }
  std::chrono::nanoseconds elapsed() const {
    return first_byte_ ? SteadyClock::now() - *first_byte_ : std::chrono::nanoseconds(0);
  }
  const char* failure() const { return failure_; }

 private:
  asio::awaitable<std::optional<Outcome>> read_records();
  asio::awaitable<StepResult> step();
  asio::awaitable<bool> send_output();
  asio::awaitable<Outcome> answer_plain_http();
  Outcome read_failed() const;
  bool past_deadline() const { return conn_.timed_out() || SteadyClock::now() >= conn_.deadline; }

  ServerState& state_;
  Connection& conn_;
  TlsStream& tls_;
  RecordScan scan_;
  bool stepped_full_ = false;  // a step ran on a full pair
  std::optional<SteadyClock::time_point> first_byte_;
  const char* failure_ = "";
};

// Read records, step until OpenSSL wants more, and again, until done.
asio::awaitable<Outcome> Handshake::run() {
  for (;;) {
    if (auto end = co_await read_records()) co_return *end;
    for (;;) {
      const StepResult s = co_await step();
      if (s.status == Status::client_gone) {
        state_.metrics.tls.record_skipped_step();
        co_return Outcome::client_gone;
      }
      const bool sent = co_await send_output();  // the alert of a failure too
      if (s.status == Status::failed) {
        failure_ = ERR_reason_error_string(s.error);
        co_return Outcome::failed;
      }
      if (!sent) co_return Outcome::client_gone;
      if (s.status == Status::done) co_return Outcome::ok;
      if (past_deadline()) co_return Outcome::timeout;
      if (s.status == Status::want_input) break;
    }
  }
}

// Reads ciphertext into its buffer until a record is whole (or the buffer
// is full: then OpenSSL judges what it holds). The first byte decides whether
// this is TLS at all.
asio::awaitable<std::optional<Outcome>> Handshake::read_records() {
  for (;;) {
    if (state_.draining) co_return Outcome::draining;
    const auto space = tls_.input_space();
    if (space.size() == 0) {
      if (!std::exchange(stepped_full_, true)) co_return std::nullopt;
      failure_ = "a record larger than the handshake accepts";
      co_return Outcome::failed;
    }
    stepped_full_ = false;
    auto [ec, n] = co_await conn_.stream.socket().async_read_some(space, kTuple);
    if (ec) co_return read_failed();
    if (past_deadline()) co_return Outcome::timeout;
    const auto* bytes = static_cast<const unsigned char*>(space.data());
    if (!first_byte_) {
      first_byte_ = SteadyClock::now();
      const auto start = RecordScan::classify(bytes[0]);
      if (start == RecordScan::Start::plain_http) co_return co_await answer_plain_http();
      if (start == RecordScan::Start::garbage) {
        failure_ = "not a TLS handshake record";
        co_return Outcome::failed;
      }
    }
    tls_.commit_input(n);
    if (scan_.feed(bytes, n) != 0) co_return std::nullopt;
  }
}

Outcome Handshake::read_failed() const {
  if (past_deadline()) return Outcome::timeout;
  if (conn_.cancelled == CancelReason::drain || state_.draining) return Outcome::draining;
  return Outcome::client_gone;  // EOF or reset mid-handshake
}

// A step goes to the pool only while public-key work may be ahead of it:
// after the server's Finished, a hop to a worker and back would cost more
// CPU than the symmetric rest of the handshake it carries.
// Not a conditional expression around co_await: GCC 12 destroys its result twice there.
asio::awaitable<StepResult> Handshake::step() {
  if (state_.tls.where == Where::loop || sent_finished(tls_.ssl())) {
    co_return handshake_step(tls_.ssl());
  }
  const LeaveWatch watch(conn_.stream.socket());
  std::vector<std::function<StepResult()>> parts;
  parts.emplace_back(
      [ssl = tls_.ssl(), left = watch.left()] { return queued_handshake_step(ssl, *left); });
  // A step still queued when the handshake's deadline passes is skipped.
  auto gathered = co_await state_.pool.run_all(std::move(parts), {}, conn_.deadline, Lane::urgent);
  co_return gathered.results.front();
}

asio::awaitable<bool> Handshake::send_output() {
  if (!tls_.has_output()) co_return true;
  auto [ec, n] = co_await conn_.stream.async_write_some(asio::const_buffer(), kTuple);
  co_return !ec;
}

// As nginx does: a 400 that says so, in plain HTTP, then a gentle close.
asio::awaitable<Outcome> Handshake::answer_plain_http() {
  auto res = error_response(http::status::bad_request, "plain_http_to_https_port",
                            "this port speaks HTTPS: the plain HTTP request was sent to the "
                            "HTTPS port; use an https:// URL");
  const Refusal refusal = make_refusal(res, state_.date.now());
  // A request was read, though not parsed: like any request refused before
  // its head parsed, it is one access-log line with "-" for method and target.
  if (state_.config.access_log) log_access(refusal.request_id, conn_.id, nullptr, res, elapsed());
  auto [ec, n] =
      co_await asio::async_write(conn_.stream.socket(), asio::buffer(refusal.wire), kTuple);
  if (!ec) co_await linger_close(conn_);
  co_return Outcome::plain_http;
}

void log_failure(const Connection& conn, Outcome outcome, const Handshake& h) {
  if (outcome == Outcome::ok || !spdlog::should_log(spdlog::level::debug)) return;
  const char* reason = h.failure();
  spdlog::debug("connection {}: TLS handshake ended: {}{}{}", conn.id, outcome_label(outcome),
                reason != nullptr && *reason != '\0' ? ": " : "", reason != nullptr ? reason : "");
}

}  // namespace

asio::awaitable<bool> accept(ServerState& state, ConnectionRegistry& registry, Connection& conn) {
  registry.add(conn);
  conn.enter(Phase::handshake, state.config.tls_handshake_timeout);
  conn.stream.start_tls(state.tls.context());
  Handshake h(state, conn);
  Outcome outcome = Outcome::failed;
  try {
    outcome = co_await h.run();
  } catch (const QueueFull&) {
    outcome = Outcome::overloaded;
  } catch (const WorkAbandoned&) {  // skipped in the queue: past its deadline, or shutdown
    outcome = state.draining ? Outcome::draining : Outcome::timeout;
  }
  const bool ok = outcome == Outcome::ok;
  state.metrics.tls.record_handshake(outcome, state.tls.where, ok && h.resumed(), h.elapsed());
  log_failure(conn, outcome, h);
  if (!ok) {
    conn.stream.close();
    registry.remove(conn);
  }
  co_return ok;
}

}  // namespace coroserve::tls
