#include "server/session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>
#include <string_view>

#include "server/access_log.hpp"
#include "server/connection_registry.hpp"
#include "server/dispatch.hpp"
#include "server/http_responses.hpp"
#include "server/linger.hpp"
#include "server/parking.hpp"
#include "server/request_id.hpp"
#include "server/request_reader.hpp"
#include "server/response_batch.hpp"
#include "server/server_state.hpp"
#include "server/tls/handshake.hpp"

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Refused at admission (503 or 429), as against a request whose own
// deadline passed (504): only a refusal makes its connection pause.
bool refused(const RequestNotes& notes) {
  return notes.shed && *notes.shed != ShedReason::deadline;
}

class Session {
 public:
  Session(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn)
      : state_(state),
        registry_(registry),
        conn_(std::move(conn)),
        reader_(*conn_, state),
        batch_(*conn_, state.config.write_timeout) {}

  // Serves requests until the connection closes (returns false) or parks
  // (returns true: idle past --idle-park-ms, nothing pending).
  asio::awaitable<bool> run() {
    if (!conn_->is_linked()) registry_.add(*conn_);
    try {
      while (co_await serve_one()) {
      }
      if (parking_) co_return true;
      co_await batch_.flush();  // answers held back for a batch still go out
    } catch (const std::exception& e) {
      spdlog::error("connection {}: {}", conn_->id, e.what());
    }
    close();
    co_return false;
  }

 private:
  // What the request leaves for its connection once answered.
  struct Afterwards {
    bool client_keeps_alive;  // client_keeps_alive() of the parser
    bool body_unread;         // a refused body was never read
  };

  // One request, start to end. False when the connection should close.
  asio::awaitable<bool> serve_one() {
    const Arrival arrival = co_await reader_.next_request();
    if (arrival != Arrival::request) {
      parking_ = arrival == Arrival::park;
      co_return false;
    }
    begin_request();
    RequestParser& parser = parser_.emplace();  // one parser per message
    limit_to_the_head(parser, reader_.limits());
    Target target;
    std::optional<Step> head = reader_.head_if_buffered(parser, target);  // usually no wait
    if (!head) head = co_await reader_.read_head(parser, target);
    if (const Step& end = *head) co_return co_await end_early(*end);
    // Most requests have no body: they skip the body step's coroutine. A
    // body sent only to be refused is not invited (see dispatch.hpp).
    const bool body_unread =
        !parser.is_done() && refused_before_body(state_, *conn_, parser.get(), target);
    if (!parser.is_done() && !body_unread) {
      if (auto end = co_await reader_.read_body(parser, batch_)) co_return co_await end_early(*end);
    }
    const Afterwards afterwards{client_keeps_alive(parser), body_unread};
    Request req = RequestReader::release(parser, target);
    begin_handling(req);
    auto res = co_await dispatch(state_, conn_, req, target, exchange_);
    if (!res) {  // the client went away while its work was pending
      ++state_.metrics.client_gone;
      co_return false;
    }
    const bool more = co_await answer(req, *res, afterwards);
    if (more && refused(exchange_.notes)) co_await pause_after_refusal();
    co_return more;
  }

  // A refused request's connection waits before its next request is read.
  // A client that retries at once, ignoring Retry-After, would otherwise
  // turn refusals into a flood whose CPU the admitted work needs (on a small
  // machine, the flood and the workers share the cores).
  asio::awaitable<void> pause_after_refusal() {
    const auto pause = state_.config.refusal_pause;
    if (pause.count() == 0 || state_.draining) co_return;
    if (!co_await batch_.flush()) co_return;  // the refusal goes out first
    asio::steady_timer timer(conn_->stream.get_executor(), pause);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  void begin_request() {
    exchange_.started = SteadyClock::now();
    exchange_.request_id.clear();  // none until the head is read
    exchange_.route = {};
    exchange_.notes = {};
  }

  void begin_handling(const Request& req) {
    conn_->enter(Phase::handling);
    take_request_id(&req);
  }

  // The client's X-Request-Id when it sent a sane one, else a new one.
  // `head` is null when no head was parsed.
  void take_request_id(const Request* head) {
    const std::string_view incoming = head ? std::string_view((*head)["X-Request-Id"]) : "";
    if (is_valid_request_id(incoming)) {
      exchange_.request_id.assign(incoming);
    } else {
      make_request_id(exchange_.request_id);
    }
  }

  // The head of the request being read, once the parser has all of it: a
  // request can still end early after that (a failed check, its body).
  const Request* parsed_head() const {
    return parser_ && parser_->is_header_done() ? &parser_->get() : nullptr;
  }

  // Writes the answer and records it. False when the connection closes,
  // always after a body left unread (it would pass for the next request).
  asio::awaitable<bool> answer(const Request& req, const Response& res, Afterwards after) {
    // While draining, requests already received (pipelined behind this one)
    // are still answered; the connection closes when none is left.
    const bool keep_alive = after.client_keeps_alive && !after.body_unread &&
                            !(state_.draining && !reader_.has_buffered());
    const ResponseFraming framing{state_.date.now(), exchange_.request_id,
                                  req.method() == http::verb::head, !keep_alive,
                                  keep_alive && req.version() == 10};
    if (!co_await batch_.write(res, framing, reader_.next_request_ready())) co_return false;
    const auto elapsed = SteadyClock::now() - exchange_.started;
    state_.metrics.record_request(exchange_.route, req.method(), res.result_int(), elapsed,
                                  exchange_.notes.shed);
    if (state_.config.access_log) {
      log_access(exchange_.request_id, conn_->id, &req, res, elapsed, exchange_.notes);
    }
    if (!keep_alive && !may_close_at_once(*conn_, after.body_unread || reader_.has_buffered())) {
      co_await linger_close(*conn_);
    }
    co_return keep_alive;
  }

  // Answers the error, if anyone is there to read it, then closes gently.
  asio::awaitable<bool> end_early(const EarlyEnd& end) {
    if (!end.error) co_return false;
    const auto& e = *end.error;
    const Request* head = parsed_head();
    take_request_id(head);
    auto res = error_response(e.status(), e.error(), e.detail());
    const auto elapsed = SteadyClock::now() - exchange_.started;
    state_.metrics.record_request({}, http::verb::unknown, res.result_int(), elapsed);
    if (state_.config.access_log) log_access(exchange_.request_id, conn_->id, head, res, elapsed);
    const ResponseFraming framing{state_.date.now(), exchange_.request_id, false, true, false};
    if (co_await batch_.write(res, framing, false)) co_await linger_close(*conn_);
    co_return false;
  }

  void close() {
    conn_->watching = false;
    conn_->stream.close();
    registry_.remove(*conn_);
  }

  ServerState& state_;
  ConnectionRegistry& registry_;
  std::shared_ptr<Connection> conn_;
  RequestReader reader_;
  ResponseBatch batch_;
  Exchange exchange_;  // the request being read or handled
  // The parser of the request being read: a member rather than a local of
  // serve_one(), which runs once per request, because a coroutine frame
  // past about 1 KiB is not kept in Asio's per-thread cache of frames and
  // costs heap allocations every time.
  std::optional<RequestParser> parser_;
  bool parking_ = false;  // run() ends to park the connection
};

// A session starts on a connection just accepted, or on a parked one woken.
enum class Start { accepted, woken };

asio::awaitable<void> serve(ServerState& state, ConnectionRegistry& registry,
                            std::shared_ptr<Connection> conn, Start start);

void resume(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn) {
  auto executor = conn->stream.get_executor();
  asio::co_spawn(executor, serve(state, registry, std::move(conn), Start::woken), asio::detached);
}

// A TLS session keeps its record buffers between requests, which saves
// freeing and allocating both for every request, while no more than this
// many sessions run (about 33 KiB each, 33 MiB in all); past it a session
// gives them back after every record, so that many slow clients cannot hold
// that memory. Parking gives them back in any case.
constexpr std::size_t kSessionsKeepingRecordBuffers = 1024;

// The session (its frames, its read buffer) is freed before the connection
// parks: that is the point of parking.
asio::awaitable<void> serve(ServerState& state, ConnectionRegistry& registry,
                            std::shared_ptr<Connection> conn, Start start) {
  // HTTPS: the handshake first; on failure it has closed and counted.
  const bool handshake = start == Start::accepted && !conn->admin && state.tls.context();
  if (handshake && !co_await tls::accept(state, registry, *conn)) co_return;
  const std::size_t sessions = registry.size() - registry.parked();
  conn->stream.keep_record_buffers(sessions <= kSessionsKeepingRecordBuffers);
  bool parked = false;
  {
    Session session(state, registry, conn);
    parked = co_await session.run();
  }
  if (parked) park(state, registry, std::move(conn), resume);
}

}  // namespace

void spawn_session(ServerState& state, ConnectionRegistry& registry, Accepted accepted) {
  auto conn = std::allocate_shared<Connection>(ArenaAllocator<Connection>(registry.arena()),
                                               std::move(accepted.socket), accepted.peer,
                                               accepted.id, accepted.admin);
  auto executor = conn->stream.get_executor();
  asio::co_spawn(executor, serve(state, registry, std::move(conn), Start::accepted),
                 asio::detached);
}

}  // namespace coroserve
