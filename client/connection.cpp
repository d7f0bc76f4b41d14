#include "client/connection.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <tuple>

#include "client/response_parser.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

// Errors come back as values, not exceptions: a refused connection or a
// timeout is an expected outcome here, thousands of times a second.
constexpr auto use_nothrow = asio::as_tuple(asio::use_awaitable);

// Response headers past this are a malformed (or hostile) answer.
constexpr std::uint32_t kResponseHeaderLimit = 64 * 1024;
// Bytes asked of each read; answers to pipelined batches may span several.
constexpr std::size_t kReadSize = 4096;
// A dead server would otherwise be hammered with reconnects at full speed.
constexpr Clock::duration kMaxReconnectBackoff = 100ms;
// How often a waiting connection looks at the stop flag.
constexpr Clock::duration kStopPollInterval = 100ms;

ErrorKind classify(const beast::error_code& ec, const ConnState& st, ErrorKind io_kind) {
  if (st.timed_out && (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor)) {
    return ErrorKind::timeout;
  }
  if (ec.category() == http::make_error_code(http::error::end_of_stream).category()) {
    // The peer closed mid-answer: a broken connection, not bad HTTP.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message) {
      return ErrorKind::read;
    }
    return ErrorKind::malformed;
  }
  return io_kind;
}

void close(ConnState& st, beast::flat_buffer& buf) {
  beast::error_code ignored;
  st.sock.close(ignored);
  // Bytes left from the old connection must never be parsed as an answer on
  // the new one.
  buf.clear();
}

class Connection {
 public:
  Connection(ThreadContext& ctx, unsigned index)
      : ctx_(ctx),
        plan_(ctx.plan),
        st_(ctx.ioc),
        timer_(ctx.ioc),
        pacer_(plan_.rate ? Pacer::open_loop(*plan_.rate, plan_.connections, index, ctx.ctl.start,
                                             plan_.pipeline)
                          : Pacer::closed_loop()) {
    ctx_.conns.push_back(&st_);
    out_.reserve(plan_.pipeline);
    lines_.reserve(plan_.pipeline);
  }
  ~Connection() { std::erase(ctx_.conns, &st_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  asio::awaitable<void> run();

 private:
  void arm() {
    st_.deadline = Clock::now() + plan_.timeout;
    st_.timed_out = false;
  }
  void disarm() { st_.deadline = Clock::time_point::max(); }

  bool stopping() const { return ctx_.ctl.stop.load(std::memory_order_relaxed); }

  // Sleeps until `until`, in slices, so that Ctrl-C is noticed. False if the
  // run was stopped meanwhile.
  asio::awaitable<bool> sleep_until(Clock::time_point until) {
    for (;;) {
      if (stopping()) co_return false;
      const auto now = Clock::now();
      if (now >= until) co_return true;
      timer_.expires_after(std::min(until - now, kStopPollInterval));
      co_await timer_.async_wait(use_nothrow);
    }
  }

  asio::awaitable<std::optional<ErrorKind>> connect() {
    arm();
    auto [ec, ep] = co_await asio::async_connect(st_.sock, ctx_.endpoints, use_nothrow);
    disarm();
    if (ec) {
      const ErrorKind kind = ec == asio::error::connection_refused
                                 ? ErrorKind::refused
                                 : classify(ec, st_, ErrorKind::connect);
      close(st_, buf_);
      co_return kind;
    }
    beast::error_code ignored;
    st_.sock.set_option(tcp::no_delay(true), ignored);
    co_return std::nullopt;
  }

  // Writes out_ whole. One request (the usual case) goes with write_some
  // directly: a loopback socket takes ~100 bytes in one call, and the
  // composed async_write costs more than the loop it saves.
  asio::awaitable<std::tuple<beast::error_code>> write_batch() {
    if (out_.size() > 1) {
      auto [ec, n] = co_await asio::async_write(st_.sock, out_, use_nothrow);
      co_return std::tuple{ec};
    }
    asio::const_buffer rest = out_.front();
    while (rest.size() > 0) {
      auto [ec, n] = co_await st_.sock.async_write_some(rest, use_nothrow);
      if (ec) co_return std::tuple{ec};
      rest += n;
    }
    co_return std::tuple{beast::error_code{}};
  }

  // Reads one response into `parser` from buf_ and the socket: what
  // http::async_read does, without its composed-operation layers (measured
  // as a few percent of the CPU per request). Returns the bytes parsed.
  asio::awaitable<std::tuple<beast::error_code, std::size_t>> read_response(ResponseParser& p) {
    p.eager(true);  // header and body in one put() when both are there
    std::size_t parsed = 0;
    for (;;) {
      while (buf_.size() > 0) {
        beast::error_code ec;
        const std::size_t n = p.put(buf_.data(), ec);
        buf_.consume(n);
        parsed += n;
        if (ec == http::error::need_more) break;
        if (ec) co_return std::tuple{ec, parsed};
        if (p.is_done()) co_return std::tuple{beast::error_code{}, parsed};
        if (n == 0) break;
      }
      auto [ec, n] = co_await st_.sock.async_read_some(buf_.prepare(kReadSize), use_nothrow);
      if (ec == asio::error::eof) {
        // The peer closed: that ends a close-delimited body, and is an
        // error anywhere else (as in Beast's own read).
        if (!p.got_some())
          co_return std::tuple{beast::error_code(http::error::end_of_stream), parsed};
        beast::error_code eof_ec;
        p.put_eof(eof_ec);
        co_return std::tuple{eof_ec, parsed};
      }
      if (ec) co_return std::tuple{ec, parsed};
      buf_.commit(n);
    }
  }

  // Counts `n` requests of lines_[from..] as failed with `kind`.
  void fail(std::size_t from, std::size_t n, ErrorKind kind) {
    auto& s = ctx_.stats;
    for (std::size_t i = from; i < from + n; ++i) {
      ++s.total.errors[static_cast<std::size_t>(kind)];
      if (!s.per_line.empty()) ++s.per_line[lines_[i]].errors[static_cast<std::size_t>(kind)];
    }
    s.last_done = Clock::now();
    LiveCounters::bump(ctx_.live.errors, n);
  }

  void count_sent(std::size_t i, bool written = true) {
    auto& s = ctx_.stats;
    const std::size_t bytes = written ? plan_.requests[lines_[i]].wire.size() : 0;
    ++s.total.requests;
    s.total.bytes_sent += bytes;
    if (!s.per_line.empty()) {
      ++s.per_line[lines_[i]].requests;
      s.per_line[lines_[i]].bytes_sent += bytes;
    }
  }

  void count_response(std::size_t i, unsigned status, std::size_t bytes, std::int64_t lat_ns) {
    auto& s = ctx_.stats;
    const unsigned code = std::min(status, 999u);
    auto add = [&](LineStats& l) {
      ++l.responses;
      ++l.status[code];
      l.bytes_received += bytes;
      l.latency.record(lat_ns);
    };
    add(s.total);
    if (!s.per_line.empty()) add(s.per_line[lines_[i]]);
    LiveCounters::bump(ctx_.live.responses);
  }

  ThreadContext& ctx_;
  const LoadPlan& plan_;
  ConnState st_;
  asio::steady_timer timer_;
  Pacer pacer_;
  beast::flat_buffer buf_;
  std::vector<asio::const_buffer> out_;
  std::vector<std::size_t> lines_;  // mix line of each request in the batch
};

asio::awaitable<void> Connection::run() {
  Clock::duration backoff{};
  for (;;) {
    if (stopping()) break;
    auto now = Clock::now();
    // In an open loop the schedule says when; a late connection sends at
    // once and still measures from the due time.
    const auto due = pacer_.due(now);
    // Past the end nothing more is sent, not even sends still overdue from a
    // stall: -d bounds the run's length whatever the server does.
    if (ctx_.ctl.past_end(due) || ctx_.ctl.past_end(now)) break;
    if (due > now) {
      if (!co_await sleep_until(due)) break;
      now = Clock::now();
    }
    // Warmup requests are sent like any other and counted nowhere.
    const bool measured = due >= ctx_.ctl.measure_start;

    // Claim the requests before connecting, so that -n never opens a
    // connection it has no request for.
    std::uint64_t batch = plan_.pipeline;
    if (measured) {
      batch = ctx_.ctl.claim(batch);
      if (batch == 0) break;
    }
    lines_.clear();
    for (std::uint64_t i = 0; i < batch; ++i) lines_.push_back(ctx_.picker.next());

    if (!st_.sock.is_open()) {
      if (auto err = co_await connect()) {
        // The requests that needed this connection end here, unsent.
        if (measured) {
          for (std::size_t i = 0; i < batch; ++i) count_sent(i, false);
          fail(0, batch, *err);
        }
        pacer_.issue(now);
        backoff = std::clamp(backoff * 2, Clock::duration(1ms), kMaxReconnectBackoff);
        if (!co_await sleep_until(Clock::now() + backoff)) break;
        continue;
      }
      backoff = {};
      if (measured) ++ctx_.stats.connections_opened;
      // `now` stays from before the connect: a request that needed a new
      // connection (every one with --no-keepalive) includes its setup.
    }

    out_.clear();
    for (std::size_t i = 0; i < batch; ++i) {
      out_.push_back(asio::buffer(plan_.requests[lines_[i]].wire));
      if (measured) count_sent(i);
    }
    const SendTiming timing = pacer_.issue(now);

    // The whole batch in one write: pipelined requests leave together.
    arm();
    auto [wec] = co_await write_batch();
    if (wec) {
      disarm();
      if (measured) fail(0, batch, classify(wec, st_, ErrorKind::write));
      close(st_, buf_);
      continue;
    }

    for (std::size_t i = 0; i < batch; ++i) {
      // A parser serves one message: a fresh one per response.
      ResponseParser parser;
      parser.header_limit(kResponseHeaderLimit);
      parser.body_limit(boost::none);
      if (plan_.requests[lines_[i]].head) parser.skip(true);
      arm();
      auto [rec, rn] = co_await read_response(parser);
      const auto done = Clock::now();
      disarm();
      if (rec) {
        if (measured) fail(i, batch - i, classify(rec, st_, ErrorKind::read));
        close(st_, buf_);
        break;
      }
      if (measured) {
        count_response(i, parser.status(), rn, latency_ns(timing, done));
        ctx_.stats.last_done = done;
      }
      if (!parser.keep_alive()) {
        // The server closes after this answer: what else was in flight on
        // this connection is lost.
        if (measured && i + 1 < batch) fail(i + 1, batch - i - 1, ErrorKind::read);
        close(st_, buf_);
        break;
      }
    }
    if (!plan_.keepalive) close(st_, buf_);
  }
  beast::error_code ignored;
  st_.sock.close(ignored);
}

}  // namespace

std::uint64_t RunControl::claim(std::uint64_t want) noexcept {
  if (!limited) return want;
  std::int64_t left = remaining.load(std::memory_order_relaxed);
  while (left > 0) {
    const std::int64_t take = std::min<std::int64_t>(left, static_cast<std::int64_t>(want));
    if (remaining.compare_exchange_weak(left, left - take, std::memory_order_relaxed)) {
      return static_cast<std::uint64_t>(take);
    }
  }
  return 0;
}

ThreadContext::ThreadContext(asio::io_context& ioc_, const LoadPlan& plan_, RunControl& ctl_,
                             const std::vector<tcp::endpoint>& endpoints_, LiveCounters& live_)
    : ioc(ioc_),
      plan(plan_),
      ctl(ctl_),
      endpoints(endpoints_),
      live(live_),
      stats(plan_.per_line_stats ? plan_.requests.size() : 0),
      picker([&] {
        std::vector<unsigned> w;
        for (const auto& r : plan_.requests) w.push_back(r.weight);
        return w;
      }()) {}

asio::awaitable<void> run_connection(ThreadContext& ctx, unsigned index) {
  // ctx.active was counted up by whoever spawned this, before the sweeper
  // could look at it.
  struct Done {
    ThreadContext& ctx;
    ~Done() { --ctx.active; }
  } done{ctx};
  Connection c(ctx, index);
  co_await c.run();
}

asio::awaitable<void> run_timeout_sweeper(ThreadContext& ctx) {
  asio::steady_timer timer(ctx.ioc);
  // Deadlines are enforced to within a tick: an eighth of the timeout,
  // between 1 ms and 100 ms.
  const Clock::duration tick = std::clamp<Clock::duration>(ctx.plan.timeout / 8, 1ms, 100ms);
  while (ctx.active > 0) {
    timer.expires_after(tick);
    co_await timer.async_wait(use_nothrow);
    const auto now = Clock::now();
    for (ConnState* c : ctx.conns) {
      if (c->deadline <= now && !c->timed_out) {
        c->timed_out = true;
        beast::error_code ignored;
        c->sock.cancel(ignored);
      }
    }
  }
}

}  // namespace corobench
