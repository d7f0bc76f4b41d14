#include "client/connection.hpp"

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <optional>

#include "client/link.hpp"
#include "client/pipeline_window.hpp"
#include "client/request_counts.hpp"
#include "client/use_nothrow.hpp"

namespace corobench {

namespace asio = boost::asio;
namespace beast = boost::beast;
using namespace std::chrono_literals;

namespace {

// A dead server would otherwise be hammered with reconnects at full speed.
constexpr Clock::duration kMaxReconnectBackoff = 100ms;
// How often a waiting connection looks at the stop flag.
constexpr Clock::duration kStopPollInterval = 100ms;

// The request loop of one connection. Each round is one batch: wait until it
// is due, make sure the socket is open, write, read the answers, count.
// Every step that waits is a co_await in run() itself, and the steps between
// are plain calls: a round costs no coroutine frame beyond the connect (when
// one is needed), the write and the reads.
class Connection {
 public:
  Connection(ThreadContext& ctx, unsigned index);
  ~Connection() { std::erase(ctx_.conns, &st_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  asio::awaitable<void> run();

 private:
  bool stopping() const { return ctx_.ctl.stop.load(std::memory_order_relaxed); }
  std::optional<Clock::time_point> next_due(Clock::time_point now) const;
  asio::awaitable<bool> sleep_until(Clock::time_point until);
  asio::awaitable<bool> wait_connect_turn(Clock::time_point& now);
  bool take_batch(Clock::time_point due);
  void count_dropped();
  void close_if_server_did();
  Clock::duration connect_failed(ErrorKind why, Clock::time_point now);
  void connected();
  void write_failed(const beast::error_code& ec, const SendTiming& timing);
  bool answered(std::size_t i, const ReadResult& read, const ResponseParser& parser,
                const SendTiming& timing);
  void close();

  ThreadContext& ctx_;
  const LoadPlan& plan_;
  ConnState st_;
  Link link_;
  asio::steady_timer timer_;
  Pacer pacer_;
  beast::flat_buffer buf_;
  std::optional<ResponseParser> parser_;  // a parser serves one message: made afresh for each
  PipelineWindow window_;
  RequestCounts counts_;
  Clock::duration backoff_{};
  bool budget_spent_ = false;  // -n ran out: what was left of the schedule was never due
};

Connection::Connection(ThreadContext& ctx, unsigned index)
    : ctx_(ctx),
      plan_(ctx.plan),
      st_(ctx.ioc),
      link_(st_, ctx.to),
      timer_(ctx.ioc),
      pacer_(plan_.rate ? Pacer::open_loop(*plan_.rate, plan_.connections, index, ctx.ctl.start,
                                           plan_.pipeline, plan_.arrival, plan_.seed)
                        : Pacer::closed_loop()),
      window_(plan_.requests, plan_.pipeline),
      counts_(ctx.stats, ctx.live, ctx.series) {
  ctx_.conns.push_back(&st_);
}

asio::awaitable<void> Connection::run() {
  while (!stopping()) {
    Clock::time_point now = Clock::now();
    const std::optional<Clock::time_point> due = next_due(now);
    if (!due) break;
    if (*due > now) {
      if (!co_await sleep_until(*due)) break;
      now = Clock::now();
      close_if_server_did();
    }
    if (!take_batch(*due)) break;

    Clock::time_point write_at = now;
    if (!link_.is_open()) {
      if (!co_await wait_connect_turn(now)) break;
      if (const std::optional<ConnectFailure> why =
              co_await link_.open(plan_.timeout, counts_.phases(window_))) {
        if (!co_await sleep_until(Clock::now() + connect_failed(why->kind, now))) break;
        continue;
      }
      // `now` stays from before the connect: a request that needed a new
      // connection (every one with --no-keepalive) includes its setup.
      connected();
      write_at = Clock::now();
    }

    counts_.sent(window_);
    const SendTiming timing = pacer_.issue(now);
    counts_.issued(window_, timing);
    st_.arm(plan_.timeout);
    if (const beast::error_code ec = co_await link_.write(window_.buffers())) {
      write_failed(ec, timing);
      continue;
    }
    for (std::size_t i = 0; i < window_.size(); ++i) {
      st_.arm(plan_.timeout);
      const ReadResult read = co_await link_.read(buf_, parser_, window_.request(i).head);
      if (i == 0) counts_.first_byte(window_, write_at, read.first_read);
      if (!answered(i, read, *parser_, timing)) break;
    }
    if (!plan_.keepalive) close();
  }
  close();
  count_dropped();
}

// When the next batch is due: at once in a closed loop; in an open loop the
// schedule says, and a late connection sends at once but still measures
// from the due time. Nothing when the run is over: past the end nothing more
// is sent, not even sends still overdue from a stall, so -d bounds the run's
// length whatever the server does.
std::optional<Clock::time_point> Connection::next_due(Clock::time_point now) const {
  const Clock::time_point due = pacer_.due(now);
  if (ctx_.ctl.past_end(due) || ctx_.ctl.past_end(now)) return std::nullopt;
  return due;
}

// Sleeps until `until`, in slices, so that Ctrl-C is noticed. False if the
// run was stopped meanwhile.
asio::awaitable<bool> Connection::sleep_until(Clock::time_point until) {
  for (;;) {
    if (stopping()) co_return false;
    const auto now = Clock::now();
    if (now >= until) co_return true;
    timer_.expires_after(std::min(until - now, kStopPollInterval));
    co_await timer_.async_wait(use_nothrow);
  }
}

// --connect-rate: waits for this connection's turn to connect, and moves
// `now` past the wait. A closed loop's request is due once it may go (the
// wait is corobench's own, not the server's); an open loop keeps its due
// time, so the wait is charged to latency and can make the send late. False
// when the run ended or was stopped meanwhile.
asio::awaitable<bool> Connection::wait_connect_turn(Clock::time_point& now) {
  if (!ctx_.ctl.connect_pacer) co_return true;
  const Clock::time_point turn = ctx_.ctl.connect_pacer->claim(Clock::now());
  if (turn > now) {
    if (!co_await sleep_until(turn)) co_return false;
    now = Clock::now();
  }
  co_return !ctx_.ctl.past_end(Clock::now());
}

// Claims the batch's requests before connecting, so that -n never opens a
// connection it has no request for. False when the -n budget is used up.
bool Connection::take_batch(Clock::time_point due) {
  const bool measured = due >= ctx_.ctl.measure_start;
  std::uint64_t batch = plan_.pipeline;
  if (measured) {
    batch = ctx_.ctl.claim(batch);
    if (batch == 0) {
      budget_spent_ = true;
      return false;
    }
  }
  window_.fill(batch, ctx_.picker, measured);
  return true;
}

// Open loop: the sends due in the measured period, before the end of the
// run (its -d, or Ctrl-C), that never left. Without them a generator that
// fell far behind would look as if it had only been a little late.
void Connection::count_dropped() {
  if (!pacer_.is_open() || budget_spent_) return;
  const auto now = Clock::now();
  const auto until = ctx_.ctl.end ? std::min(*ctx_.ctl.end, now) : now;
  const std::uint64_t batches = pacer_.due_between(ctx_.ctl.measure_start, until);
  // Under -n they come out of the budget: never more than it allowed.
  counts_.dropped(ctx_.ctl.claim(batches * plan_.pipeline));
}

// An open loop's connection that sat idle until its next send: the server
// may have closed it meanwhile (its keep-alive timeout), and a request sent
// into that close would fail for no fault of its own. Closed here, it is
// opened again for the send.
void Connection::close_if_server_did() {
  if (link_.is_open() && link_.peer_closed()) close();
}

// The requests that needed this connection end here, unsent. Returns how
// long to wait before the next attempt: doubling from 1 ms, capped.
Clock::duration Connection::connect_failed(ErrorKind why, Clock::time_point now) {
  close();
  const SendTiming timing = pacer_.issue(now);
  counts_.unsent(window_, why, latency_ns(timing, Clock::now()));
  backoff_ = std::clamp(backoff_ * 2, Clock::duration(1ms), kMaxReconnectBackoff);
  return backoff_;
}

void Connection::connected() {
  backoff_ = {};
  counts_.connected(window_);
}

void Connection::write_failed(const beast::error_code& ec, const SendTiming& timing) {
  st_.disarm();
  counts_.failed(window_, 0, classify(ec, st_, ErrorKind::write), latency_ns(timing, Clock::now()));
  close();
}

// Counts answer i of the batch. False when the connection is done with this
// batch: a read error, or a server that closes after this answer.
bool Connection::answered(std::size_t i, const ReadResult& read, const ResponseParser& parser,
                          const SendTiming& timing) {
  // The read's own completion time when it had to read: no second clock call.
  const auto done = read.last_read != Clock::time_point{} ? read.last_read : Clock::now();
  st_.disarm();
  const std::int64_t lat = latency_ns(timing, done);
  if (read.ec) {
    counts_.failed(window_, i, classify(read.ec, st_, ErrorKind::read), lat);
    close();
    return false;
  }
  counts_.answered(window_, i, parser.status(), read.bytes, lat, done);
  link_.answered();
  // After 101 Switching Protocols the connection no longer speaks HTTP.
  if (parser.keep_alive() && parser.status() != 101) return true;
  // What else was in flight on this connection is lost.
  if (i + 1 < window_.size()) counts_.failed(window_, i + 1, ErrorKind::read, lat);
  close();
  return false;
}

void Connection::close() {
  link_.close();
  counts_.closed();
  // Bytes left from the old connection must never be parsed as an answer on
  // the new one.
  buf_.clear();
}

}  // namespace

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

}  // namespace corobench
