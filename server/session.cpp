#include "server/session.hpp"

#include <sys/socket.h>

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <iterator>
#include <memory>

#include "common/json_error.hpp"
#include "common/version.hpp"
#include "server/connection_registry.hpp"
#include "server/framing.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"
#include "server/request_id.hpp"
#include "server/response_writer.hpp"
#include "server/server_state.hpp"

namespace coroserve {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
// After an error answer, read and discard what the client is still sending
// for a moment before closing, so that the close does not become a TCP reset
// that destroys the answer before the client reads it (like nginx's
// lingering_close).
constexpr auto kLingerTime = std::chrono::milliseconds(1000);
constexpr std::size_t kLingerBytes = 1 << 20;
// Pipelined responses batched into one write: at most this many, this big.
constexpr std::size_t kMaxBatchedResponses = 64;
constexpr std::size_t kMaxBatchedBytes = 64 * 1024;
// A body up to this size is copied beside its head (one buffer, and the
// copy is cheaper than a second iovec); a larger one is written in place.
constexpr std::size_t kCopiedBodyBytes = 16 * 1024;

bool is_parse_error(const boost::system::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

class Session {
 public:
  Session(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn)
      : state_(state), registry_(registry), conn_(std::move(conn)) {
    // Writes are tried at once without waiting (see send()).
    boost::system::error_code ignored;
    conn_->socket.non_blocking(true, ignored);
    // Room for the largest header plus pipelined requests behind it; the
    // parser's own limits stop a request before this does.
    buffer_.max_size(state_.config.max_header_bytes + 64 * 1024);
  }

  // Serves requests until the connection closes (returns false) or parks
  // (returns true: idle past --idle-park-ms, nothing pending).
  asio::awaitable<bool> run() {
    if (!conn_->is_linked()) registry_.add(*conn_);
    try {
      while (co_await serve_one()) {
      }
      if (parking_) co_return true;
      co_await flush();  // answers held back for a batch still go out
    } catch (const std::exception& e) {
      spdlog::error("connection {}: {}", conn_->id, e.what());
    }
    close();
    co_return false;
  }

 private:
  const Config& config() const { return state_.config; }

  // Reads, handles and answers one request. Returns false when the
  // connection should close.
  asio::awaitable<bool> serve_one() {
    // Wait for the first byte of the next request under the idle timeout;
    // the header timeout starts only once a request has begun.
    if (buffer_.size() == 0) {
      if (state_.draining) co_return false;
      conn_->enter(Phase::idle, config().idle_timeout);
      auto [ec, n] = co_await conn_->socket.async_read_some(buffer_.prepare(kReadChunk), kTuple);
      if (ec == asio::error::operation_aborted && conn_->park_requested && !conn_->timed_out &&
          !conn_->drain_closed && !state_.draining) {
        parking_ = true;  // the sweeper asked: give the buffer and the frames back
        co_return false;
      }
      if (ec) co_return false;  // closed by the client, idle timeout or drain
      buffer_.commit(n);
    }

    conn_->enter(Phase::reading_header, config().header_timeout);
    const auto started = SteadyClock::now();
    request_started_ = started;
    http::request_parser<http::string_body> parser;  // one parser per message
    parser.header_limit(static_cast<std::uint32_t>(config().max_header_bytes));
    parser.body_limit(config().max_body_bytes);

    // Usually the whole header came with the first read: no coroutine call.
    if (scan_header(0) == HeaderScan::incomplete) {
      if (auto ec = co_await buffer_header(); ec) {
        co_await on_read_error(ec, /*in_body=*/false);
        co_return false;
      }
    }
    if (has_obs_fold(buffered())) {
      co_await fail(http::status::bad_request, "bad_request",
                    "obsolete line folding (a header line starting with whitespace) is not "
                    "accepted");
      co_return false;
    }
    // The header is buffered: the parser's own put() parses it in place
    // (Beast's async_read_header would add a composed operation and a trip
    // through the scheduler). It reads more only when the parser asks, after
    // scan_header stopped early.
    boost::system::error_code parse_ec;
    buffer_.consume(parser.put(buffer_.data(), parse_ec));
    if (parse_ec == http::error::need_more) {
      auto [ec, n] = co_await http::async_read_header(conn_->socket, buffer_, parser, kTuple);
      parse_ec = ec;
    }
    if (parse_ec) {
      co_await on_read_error(parse_ec, /*in_body=*/false);
      co_return false;
    }

    Target target;
    if (auto err = check_request_head(parser.get().base(), {config().max_url_bytes}, &target)) {
      co_await fail(err->status, err->error, err->detail);
      co_return false;
    }

    if (!parser.is_done()) {
      if (auto len = parser.content_length(); len && *len > config().max_body_bytes) {
        co_await fail(http::status::payload_too_large, "payload_too_large",
                      "the body is " + std::to_string(*len) +
                          " bytes; the limit (--max-body-bytes) is " +
                          std::to_string(config().max_body_bytes));
        co_return false;
      }
      if (!co_await flush()) co_return false;  // answers held back go before a body wait
      if (parser.get().version() >= 11 && parser.get().count(http::field::expect) != 0) {
        static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        if (!co_await send({asio::buffer(kContinue), asio::const_buffer{}})) co_return false;
      }
      conn_->enter(Phase::reading_body, config().body_timeout);
      const auto header_fields = std::distance(parser.get().begin(), parser.get().end());
      while (!parser.is_done()) {
        auto [ec, n] = co_await http::async_read_some(conn_->socket, buffer_, parser, kTuple);
        if (!ec && conn_->timed_out) ec = asio::error::operation_aborted;  // see buffer_header
        if (ec) {
          co_await on_read_error(ec, /*in_body=*/true);
          co_return false;
        }
      }
      drop_trailers(parser.get(), header_fields);
    }

    const char* const target_at = parser.get().target().data();
    Request req = parser.release();
    // The target's views point into the message's storage; should moving it
    // out of the parser ever move that storage, split it again.
    if (req.target().data() != target_at) target = *split_target(req.target());
    conn_->enter(Phase::handling);
    auto incoming_id = req["X-Request-Id"];
    request_id_ = is_valid_request_id(incoming_id) ? std::string(incoming_id) : make_request_id();
    notes_ = {};
    route_ = {};
    auto res = co_await dispatch(req, target, started);
    if (!res) {  // the client went away while we worked
      ++state_.metrics.client_gone;
      co_return false;
    }
    // While draining, requests already received (pipelined behind this one)
    // are still answered; the connection closes when none is left.
    const bool keep_alive = req.keep_alive() && !(state_.draining && buffer_.size() == 0);
    if (!co_await write(*res, framing_for(req, keep_alive))) {
      co_return false;
    }
    const auto elapsed = SteadyClock::now() - started;
    state_.metrics.record_request(route_, req.method(), res->result_int(), elapsed);
    if (config().access_log) log_access(req, *res, elapsed);
    if (!keep_alive) co_await linger_close();
    co_return keep_alive;
  }

  std::string_view buffered() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  // Reads until the end of the header is in the buffer, so the raw bytes can
  // be checked before Beast parses them: Beast 1.81 silently unfolds obs-fold
  // lines, which RFC 9112 lets a server reject and which we do reject. Stops
  // early (leaving the verdict to the parser) at a bare LF or past the limit.
  asio::awaitable<boost::system::error_code> buffer_header() {
    for (std::size_t scanned = 0; scan_header(scanned) == HeaderScan::incomplete;) {
      scanned = buffer_.size();
      auto [ec, n] = co_await conn_->socket.async_read_some(buffer_.prepare(kReadChunk), kTuple);
      if (ec == asio::error::eof) co_return make_error_code(http::error::end_of_stream);
      if (ec) co_return ec;
      // Past the deadline, bytes that beat the sweep's cancel do not buy
      // more time (a cancel that meets a completing read is lost).
      if (conn_->timed_out) co_return make_error_code(asio::error::operation_aborted);
      buffer_.commit(n);
    }
    co_return boost::system::error_code{};
  }

  enum class HeaderScan { complete, incomplete, for_the_parser };

  // Looks at the buffered bytes from `scanned` on (what came before was
  // looked at already): is the header complete, or is there a reason to stop
  // reading and let the parser give its verdict?
  HeaderScan scan_header(std::size_t scanned) {
    const auto data = buffered();
    // Decided on the raw bytes: after a failed parse, Beast may have
    // consumed the request line already.
    request_line_too_long_ = request_line_too_long(data, config().max_url_bytes);
    const auto from = scanned > 3 ? scanned - 3 : 0;
    if (data.find("\r\n\r\n", from) != std::string_view::npos) return HeaderScan::complete;
    for (auto i = data.find('\n', scanned); i != std::string_view::npos;
         i = data.find('\n', i + 1)) {
      if (i == 0 || data[i - 1] != '\r') return HeaderScan::for_the_parser;  // it will refuse it
    }
    if (data.size() > config().max_header_bytes) return HeaderScan::for_the_parser;  // too big
    return HeaderScan::incomplete;
  }

  // Beast 1.81 appends chunked trailer fields to the request's header fields
  // (unfolding obs-fold lines on the way). No endpoint uses trailers, so they
  // are dropped: nothing sent after the body can change how the request is
  // read or routed.
  static void drop_trailers(Request& req, std::ptrdiff_t header_fields) {
    auto it = req.begin();
    std::advance(it, header_fields);
    while (it != req.end()) it = req.erase(it);
  }

  // An obs-fold is a CRLF followed by a space or tab inside the header.
  static bool has_obs_fold(std::string_view data) {
    const auto end = data.find("\r\n\r\n");
    if (end == std::string_view::npos) return false;
    const auto head = data.substr(0, end + 2);
    for (auto i = head.find("\r\n"); i != std::string_view::npos; i = head.find("\r\n", i + 2)) {
      if (i + 2 < head.size() && (head[i + 2] == ' ' || head[i + 2] == '\t')) return true;
    }
    return false;
  }

  // "HTTP/2.0" is a version we do not serve (505); "HTTX/1.1" is garbage (400).
  bool names_other_http_version() const {
    auto line = buffered();
    line = line.substr(0, line.find('\r'));
    const auto sp = line.rfind(' ');
    if (sp == std::string_view::npos) return false;
    // "METHOD SP target SP version": any other number of spaces is garbage.
    if (std::count(line.begin(), line.end(), ' ') != 2) return false;
    const auto v = line.substr(sp + 1);
    return v.size() == 8 && v.substr(0, 5) == "HTTP/" &&
           std::isdigit(static_cast<unsigned char>(v[5])) && v[6] == '.' &&
           std::isdigit(static_cast<unsigned char>(v[7]));
  }

  asio::awaitable<void> on_read_error(const boost::system::error_code& ec, bool in_body) {
    if (conn_->timed_out) {
      // A request had started and did not arrive in time.
      co_await fail(http::status::request_timeout, "request_timeout",
                    in_body ? "the request body did not arrive within --body-timeout-ms"
                            : "the request header did not arrive within --header-timeout-ms");
    } else if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
      if (request_line_too_long_) {
        co_await fail(http::status::uri_too_long, "uri_too_long",
                      "the request line is longer than --max-url-bytes (" +
                          std::to_string(config().max_url_bytes) + ")");
      } else {
        co_await fail(http::status::request_header_fields_too_large, "header_too_large",
                      "the request header is larger than --max-header-bytes (" +
                          std::to_string(config().max_header_bytes) + ")");
      }
    } else if (ec == http::error::body_limit) {
      co_await fail(http::status::payload_too_large, "payload_too_large",
                    "the body is larger than --max-body-bytes (" +
                        std::to_string(config().max_body_bytes) + ")");
    } else if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
      // The client closed mid-request: nobody to answer.
    } else if (ec == http::error::bad_version && names_other_http_version()) {
      co_await fail(http::status::http_version_not_supported, "http_version_not_supported",
                    "only HTTP/1.0 and HTTP/1.1 are served");
    } else if (is_parse_error(ec)) {
      co_await fail(http::status::bad_request, "bad_request", "malformed request: " + ec.message());
    }
    // Anything else is a socket error: the connection is gone.
  }

  // One structured line per request; only formatted when the access log is on.
  void log_access(const Request& req, const Response& res, SteadyClock::duration elapsed) const {
    using std::chrono::duration_cast;
    using us = std::chrono::microseconds;
    spdlog::info(
        "access id={} conn={} method={} target=\"{}\" status={} bytes={} duration_us={} "
        "where={} queue_wait_us={} compute_us={}",
        request_id_, conn_->id, req.method_string(), req.target(), res.result_int(),
        res.body().size(), duration_cast<us>(elapsed).count(),
        notes_.where.empty() ? "-" : notes_.where, duration_cast<us>(notes_.queue_wait).count(),
        duration_cast<us>(notes_.compute).count());
  }

  // Routes and runs the handler; every failure becomes a JSON error. Returns
  // nullopt when the client disconnected while its work was pending.
  asio::awaitable<std::optional<Response>> dispatch(const Request& req, const Target& target,
                                                    SteadyClock::time_point started) {
    if (target.asterisk) {  // OPTIONS *: what the server as a whole allows
      Response res{http::status::no_content, 11};
      res.set(http::field::allow, "GET, HEAD, POST, OPTIONS");
      co_return res;
    }
    if (req.method() == http::verb::unknown) {
      co_return error_response(
          http::status::not_implemented, "not_implemented",
          "method '" + std::string(req.method_string()) + "' is not implemented");
    }
    const auto match = state_.router.find(req.method(), target.path);
    route_ = match.route;
    if (match.outcome == Router::Outcome::not_found) {
      co_return error_response(
          http::status::not_found, "not_found",
          "no endpoint at '" + std::string(target.path).substr(0, 256) + "'; GET / lists them");
    }
    if (match.outcome == Router::Outcome::method_not_allowed) {
      if (req.method() == http::verb::options) {
        Response res{http::status::no_content, 11};
        res.set(http::field::allow, match.allow);
        co_return res;
      }
      auto res =
          error_response(http::status::method_not_allowed, "method_not_allowed",
                         "'" + std::string(target.path) + "' allows " + std::string(match.allow));
      res.set(http::field::allow, match.allow);
      co_return res;
    }

    try {
      RequestContext ctx{req,
                         target.path,
                         QueryParams::parse(target.query),
                         state_,
                         [this] { return watch_client(); },
                         started,
                         request_id_,
                         notes_};
      auto res = co_await (*match.handler)(ctx);
      stop_watching();
      co_return res;
    } catch (const HttpError& e) {
      stop_watching();
      co_return error_response(e.status(), e.error(), e.detail());
    } catch (const QueueFull& e) {
      stop_watching();
      auto res = error_response(http::status::service_unavailable, "overloaded", e.what());
      res.set(http::field::retry_after, "1");
      co_return res;
    } catch (const boost::system::system_error& e) {
      stop_watching();
      if (e.code() == asio::error::operation_aborted && conn_->client_gone) co_return std::nullopt;
      spdlog::error("id={} conn={} {} {}: {}", request_id_, conn_->id, req.method_string(),
                    req.target(), e.what());
      co_return error_response(http::status::internal_server_error, "internal_error", e.what());
    } catch (const std::exception& e) {
      stop_watching();
      spdlog::error("id={} conn={} {} {}: {}", request_id_, conn_->id, req.method_string(),
                    req.target(), e.what());
      co_return error_response(http::status::internal_server_error, "internal_error", e.what());
    }
  }

  // Writes a response, or holds it back to go out with the next ones. A
  // pipelining client has the next request already here: its response is
  // batched with this one into one write (one syscall for many responses)
  // as long as the next request's header is complete, so the server never
  // waits on the network while holding answers back.
  asio::awaitable<bool> write(const Response& res, const ResponseFraming& framing) {
    const auto body = wire_body(res, framing);
    const bool batch = !framing.close && pending_count_ + 1 < kMaxBatchedResponses &&
                       pending_.size() + body.size() < kMaxBatchedBytes &&
                       buffered().find("\r\n\r\n") != std::string_view::npos;
    append_response_head(pending_, res, framing);
    ++pending_count_;
    if (batch || body.size() <= kCopiedBodyBytes) {
      pending_ += body;
      if (batch) co_return true;
      co_return co_await flush();
    }
    // A large body goes out from where it is, beside the head(s).
    co_return co_await send({asio::const_buffer(asio::buffer(pending_)), asio::buffer(body)});
  }

  // Sends what batching held back. Called before anything else is written or
  // read from the network, and before the connection ends.
  asio::awaitable<bool> flush() {
    if (pending_.empty()) co_return true;
    co_return co_await send({asio::const_buffer(asio::buffer(pending_)), asio::const_buffer{}});
  }

  // Writes the buffers and forgets what was pending. The socket is tried
  // first without waiting: it nearly always takes the whole response at
  // once, and then the coroutine goes on without a trip through the
  // scheduler. What it does not take is written asynchronously, under the
  // write timeout.
  asio::awaitable<bool> send(std::array<asio::const_buffer, 2> buffers) {
    boost::system::error_code ec;
    std::size_t written = asio::write(conn_->socket, buffers, asio::transfer_all(), ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      conn_->enter(Phase::writing, config().write_timeout);
      beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(buffers);
      rest.consume(written);
      std::tie(ec, written) = co_await asio::async_write(conn_->socket, rest, kTuple);
    }
    pending_.clear();
    pending_count_ = 0;
    co_return !ec;
  }

  ResponseFraming framing_for(const Request& req, bool keep_alive) const {
    return {state_.date.now(), request_id_, req.method() == http::verb::head, !keep_alive,
            keep_alive && req.version() == 10};
  }

  // Answers an error that ends the connection, then closes it gently.
  asio::awaitable<void> fail(http::status status, std::string_view error, std::string detail) {
    auto res = error_response(status, error, detail);
    state_.metrics.record_request({}, http::verb::unknown, static_cast<unsigned>(status),
                                  SteadyClock::now() - request_started_);
    const ResponseFraming framing{state_.date.now(), request_id_, false, /*close=*/true, false};
    if (co_await write(res, framing)) co_await linger_close();
  }

  asio::awaitable<void> linger_close() {
    boost::system::error_code ec;
    conn_->socket.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    conn_->enter(Phase::closing,
                 std::chrono::duration_cast<std::chrono::milliseconds>(kLingerTime));
    std::size_t discarded = 0;
    char sink[4096];
    while (discarded < kLingerBytes) {
      auto [rec, n] = co_await conn_->socket.async_read_some(asio::buffer(sink), kTuple);
      if (rec || conn_->timed_out) break;
      discarded += n;
    }
  }

  // Arms a watch that notices the client closing while its request is being
  // handled. A peek first: the socket's readiness edge may have passed already.
  asio::cancellation_slot watch_client() {
    if (!conn_->watching && !conn_->client_gone) {
      conn_->watching = true;
      check_client(conn_);
    }
    return conn_->gone_signal.slot();
  }

  static void check_client(const std::shared_ptr<Connection>& conn) {
    if (!conn->watching) return;
    char byte;
    const auto n = ::recv(conn->socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n > 0) {
      conn->watching = false;  // more requests are coming: the client is there
      return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      conn->socket.async_wait(tcp::socket::wait_read, [conn](boost::system::error_code ec) {
        if (!ec) check_client(conn);
      });
      return;
    }
    // 0: orderly close; < 0: reset. Either way nobody waits for the answer.
    conn->watching = false;
    conn->client_gone = true;
    conn->gone_signal.emit(asio::cancellation_type::terminal);
  }

  void stop_watching() {
    if (!conn_->watching) return;
    conn_->watching = false;
    boost::system::error_code ignored;
    conn_->socket.cancel(ignored);  // ends the pending wait; no other op is pending now
  }

  void close() {
    conn_->watching = false;
    boost::system::error_code ignored;
    conn_->socket.shutdown(tcp::socket::shutdown_both, ignored);
    conn_->socket.close(ignored);
    registry_.remove(*conn_);
  }

  ServerState& state_;
  ConnectionRegistry& registry_;
  std::shared_ptr<Connection> conn_;
  beast::flat_buffer buffer_;
  bool request_line_too_long_ = false;  // of the request being read
  bool parking_ = false;                // run() ends to park the connection
  std::string pending_;                 // serialized responses held back for one write
  std::size_t pending_count_ = 0;
  SteadyClock::time_point request_started_;  // first byte of the request being read
  std::string request_id_;                   // of the request being handled
  std::string_view route_;                   // its route, for metrics ("" if none)
  RequestNotes notes_;                       // what its handler reported
};

// A parked connection: the keep-alive wait of a connection idle past
// --idle-park-ms, without its session. What stays is the Connection, the
// reactor's entry for the socket and one pending wait (~0.5 KiB instead of
// the session's coroutine frames and 4 KiB read buffer). The first byte of
// the next request starts a new session on the same connection. Asio's
// async_wait re-arms the socket in epoll (EPOLL_CTL_MOD), so bytes that came
// before the wait began still wake it. The idle timeout and the drain end
// the wait as they end an idle read: by cancelling the socket.
void park(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn);

asio::awaitable<void> serve(ServerState& state, ConnectionRegistry& registry,
                            std::shared_ptr<Connection> conn) {
  bool parked = false;
  {
    Session session(state, registry, conn);
    parked = co_await session.run();
  }
  if (parked) park(state, registry, std::move(conn));
}

void park(ServerState& state, ConnectionRegistry& registry, std::shared_ptr<Connection> conn) {
  conn->parked = true;
  registry.on_parked();
  auto& socket = conn->socket;
  socket.async_wait(tcp::socket::wait_read, [&state, &registry, conn = std::move(conn)](
                                                boost::system::error_code ec) mutable {
    conn->parked = false;
    registry.on_woken();
    if (ec || state.draining) {  // idle timeout, drain or shutdown: the connection ends here
      boost::system::error_code ignored;
      conn->socket.shutdown(tcp::socket::shutdown_both, ignored);
      conn->socket.close(ignored);
      registry.remove(*conn);
      return;
    }
    auto executor = conn->socket.get_executor();
    asio::co_spawn(executor, serve(state, registry, std::move(conn)), asio::detached);
  });
}

}  // namespace

asio::awaitable<void> run_session(ServerState& state, ConnectionRegistry& registry,
                                  tcp::socket socket, std::uint64_t id) {
  co_await serve(state, registry, std::make_shared<Connection>(std::move(socket), id));
}

void reject_connection(ServerState& state, tcp::socket socket) {
  auto res = error_response(http::status::service_unavailable, "too_many_connections",
                            "the server holds --max-connections (" +
                                std::to_string(state.config.max_connections) +
                                ") connections; retry later");
  res.set(http::field::retry_after, "1");
  std::string wire;
  append_response(wire, res, {state.date.now(), {}, false, /*close=*/true, false});
  // Best effort and bounded: one write into the socket buffer, then close.
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  asio::write(socket, asio::buffer(wire), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

}  // namespace coroserve
