// CPU-bound endpoints: the work runs on the worker pool (?where=pool, the
// default) or, to show the damage, on the event loop itself (?where=loop).
// Every parameter that sets the cost is capped; the caps bound one request
// to a few seconds of one core (see the README's endpoint table).
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "server/compute/mandelbrot.hpp"
#include "server/compute/png_encode.hpp"
#include "server/compute/primes.hpp"
#include "server/compute/sha256_chain.hpp"
#include "server/handlers/handlers.hpp"
#include "server/http_responses.hpp"
#include "server/request_context.hpp"

namespace coroserve {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kMaxSplit = 64;
constexpr std::uint64_t kMaxHashRounds = 20'000'000;  // ~1.5 s at ~13 M rounds/s
constexpr std::uint64_t kMaxHashSize = 1 << 20;
constexpr std::uint64_t kMaxSide = 2048;
// Memory a render holds at its peak: RGB stripes, the joined image and the
// PNG (at most about the raw size).
constexpr std::uint64_t kImageBytesPerPixel = 9;
constexpr std::uint64_t kMaxIter = 10'000;
// Pixels x iterations: about 2 s of one core at worst (every pixel inside the set).
constexpr std::uint64_t kMaxMandelbrotWork = 1'000'000'000;

// Durations are integer microseconds in JSON: exact, and readable (Boost.JSON
// would print a double as 1.2345E2).
std::int64_t to_us(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// Where a request's CPU work runs: "pool" (default) or "loop".
bool runs_on_loop(RequestContext& ctx) {
  const bool on_loop = ctx.query.get_choice("where", "pool", {"pool", "loop"}) == "loop";
  if (on_loop && !ctx.server.config.cpu_on_loop) {
    throw HttpError(http::status::forbidden, "cpu_on_loop_disabled",
                    "where=loop is disabled on this server (--cpu-on-loop=false)");
  }
  return on_loop;
}

constexpr std::uint64_t kMaxTimeoutMs = 600'000;

// The request's deadline, from `X-Timeout-Ms` or `?timeout_ms=` (the query
// wins), counted from the request's first byte; max() when none is given.
Clock::time_point request_deadline(RequestContext& ctx) {
  std::uint64_t ms = 0;
  if (ctx.query.has("timeout_ms")) {
    ms = ctx.query.get_uint("timeout_ms", 0, 1, kMaxTimeoutMs);
  } else if (auto h = ctx.request["X-Timeout-Ms"]; !h.empty()) {
    ms = QueryParams::parse_uint("X-Timeout-Ms", h, 1, kMaxTimeoutMs);
  }
  return ms == 0 ? Clock::time_point::max() : ctx.started + std::chrono::milliseconds(ms);
}

[[noreturn]] void deadline_exceeded(RequestContext& ctx, bool started) {
  ++(started ? ctx.server.metrics.deadline_running : ctx.server.metrics.deadline_queued);
  throw HttpError(http::status::gateway_timeout, "deadline_exceeded",
                  started ? "the work ran past the request's deadline (X-Timeout-Ms / timeout_ms)"
                          : "the work could not start before the request's deadline "
                            "(X-Timeout-Ms / timeout_ms); it was dropped from the queue");
}

// Both the client leaving and the deadline passing cancel the pool operation.
// Shared, because the timer's handler may run after the coroutine moved on.
struct CancelSources {
  boost::asio::cancellation_signal signal;
  bool deadline_passed = false;
};

// Runs the parts on the pool, or one after the other right here on the loop
// thread: the same work either way, so the difference is only where.
template <class R>
asio::awaitable<Gathered<R>> run_parts(RequestContext& ctx, std::vector<std::function<R()>> parts,
                                       bool on_loop) {
  const auto deadline = request_deadline(ctx);
  if (on_loop) {
    ++ctx.server.metrics.cpu_on_loop;
    ctx.notes.where = "loop";
    if (Clock::now() >= deadline) deadline_exceeded(ctx, false);
    Gathered<R> out;
    const auto start = Clock::now();
    for (auto& p : parts) out.results.push_back(p());  // blocks every other connection
    out.timings.compute = Clock::now() - start;
    ctx.notes.compute += out.timings.compute;
    if (Clock::now() >= deadline) deadline_exceeded(ctx, true);
    co_return out;
  }

  ctx.notes.where = "pool";
  auto client_gone = ctx.watch_client();
  if (deadline == Clock::time_point::max()) {
    auto out = co_await ctx.server.pool.run_all(std::move(parts), client_gone);
    ctx.notes.queue_wait += out.timings.queue_wait;
    ctx.notes.compute += out.timings.compute;
    co_return out;
  }
  if (Clock::now() >= deadline) deadline_exceeded(ctx, false);

  auto sources = std::make_shared<CancelSources>();
  client_gone.assign([sources](asio::cancellation_type t) { sources->signal.emit(t); });
  asio::steady_timer timer(co_await asio::this_coro::executor, deadline);
  timer.async_wait([sources](boost::system::error_code ec) {
    if (ec) return;
    sources->deadline_passed = true;
    sources->signal.emit(asio::cancellation_type::terminal);
  });
  bool started = false;
  try {
    auto out = co_await ctx.server.pool.run_all(std::move(parts), sources->signal.slot(), deadline);
    timer.cancel();
    client_gone.clear();
    ctx.notes.queue_wait += out.timings.queue_wait;
    ctx.notes.compute += out.timings.compute;
    co_return out;
  } catch (const WorkAbandoned& e) {
    timer.cancel();
    client_gone.clear();
    if (!sources->deadline_passed && Clock::now() < deadline) throw;  // the client left
    started = e.started();
  }
  deadline_exceeded(ctx, started);
}

void add_timings(boost::json::object& o, bool on_loop, std::size_t parts, const TaskTimings& t) {
  o["where"] = on_loop ? "loop" : "pool";
  o["parts"] = parts;
  o["compute_us"] = to_us(t.compute);
  o["queue_wait_us"] = to_us(t.queue_wait);
}

unsigned default_split(RequestContext& ctx) {
  return ctx.server.pool.threads();
}

asio::awaitable<Response> primes(RequestContext& ctx) {
  ctx.query.allow_only({"n", "split", "where", "timeout_ms"});
  const auto n = ctx.query.get_uint("n", 10'000'000, 0, compute::kMaxPrimesN);
  const auto split = ctx.query.get_uint("split", default_split(ctx), 1, kMaxSplit);
  const bool on_loop = runs_on_loop(ctx);

  std::vector<std::function<std::uint64_t()>> parts;
  for (auto [lo, hi] : compute::split_range(n, static_cast<unsigned>(split))) {
    parts.emplace_back([lo = lo, hi = hi] { return compute::count_primes_in_range(lo, hi); });
  }
  const auto n_parts = parts.size();
  auto r = co_await run_parts(ctx, std::move(parts), on_loop);
  std::uint64_t count = 0;
  for (auto c : r.results) count += c;

  boost::json::object o{{"n", n}, {"primes", count}};
  add_timings(o, on_loop, n_parts, r.timings);
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

// A hash chain is sequential by nature: one part, never split.
asio::awaitable<Response> hash(RequestContext& ctx) {
  ctx.query.allow_only({"rounds", "size", "where", "timeout_ms"});
  const auto rounds = ctx.query.get_uint("rounds", 100'000, 1, kMaxHashRounds);
  const auto size = ctx.query.get_uint("size", 64, 1, kMaxHashSize);
  const bool on_loop = runs_on_loop(ctx);

  std::vector<std::function<std::string()>> parts;
  parts.emplace_back([rounds, size] {
    return compute::to_hex(compute::sha256_chain(static_cast<std::size_t>(size), rounds));
  });
  auto r = co_await run_parts(ctx, std::move(parts), on_loop);

  boost::json::object o{
      {"algorithm", "sha256"}, {"rounds", rounds}, {"size", size}, {"digest", r.results[0]}};
  add_timings(o, on_loop, 1, r.timings);
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

// Stripes are rendered in parallel, then encoded to PNG as one more task.
asio::awaitable<Response> mandelbrot(RequestContext& ctx) {
  ctx.query.allow_only({"w", "h", "iter", "split", "where", "timeout_ms"});
  compute::MandelbrotParams p;
  p.width = static_cast<unsigned>(ctx.query.get_uint("w", 512, 1, kMaxSide));
  p.height = static_cast<unsigned>(ctx.query.get_uint("h", 512, 1, kMaxSide));
  p.max_iter = static_cast<unsigned>(ctx.query.get_uint("iter", 256, 1, kMaxIter));
  const auto split = ctx.query.get_uint("split", default_split(ctx), 1, kMaxSplit);
  const bool on_loop = runs_on_loop(ctx);
  const std::uint64_t work = std::uint64_t{p.width} * p.height * p.max_iter;
  if (work > kMaxMandelbrotWork) {
    throw HttpError(http::status::bad_request, "invalid_parameter",
                    "w*h*iter is " + std::to_string(work) + "; the limit is " +
                        std::to_string(kMaxMandelbrotWork) + " (about 2 s of one core)");
  }

  // Renders hold memory while queued and computed, so their total is bounded
  // apart from the queue: past --max-image-bytes new ones get 503.
  const std::uint64_t image_bytes = kImageBytesPerPixel * p.width * p.height;
  auto& in_flight = ctx.server.image_bytes_in_flight;
  if (in_flight + image_bytes > ctx.server.config.max_image_bytes) {
    throw QueueFull("renders in flight hold " + std::to_string(in_flight) + " of " +
                    std::to_string(ctx.server.config.max_image_bytes) +
                    " bytes (--max-image-bytes); this one needs " + std::to_string(image_bytes));
  }
  in_flight += image_bytes;
  struct Release {
    std::size_t& counter;
    std::uint64_t bytes;
    ~Release() { counter -= bytes; }
  } release{in_flight, image_bytes};

  std::vector<std::function<std::vector<std::uint8_t>()>> stripes;
  for (auto [begin, end] : compute::split_rows(p.height, static_cast<unsigned>(split))) {
    stripes.emplace_back(
        [p, b = begin, e = end] { return compute::render_mandelbrot_rows(p, b, e); });
  }
  const auto n_parts = stripes.size();
  auto rendered = co_await run_parts(ctx, std::move(stripes), on_loop);

  std::vector<std::function<std::string()>> encode;
  encode.emplace_back([p, rows = std::move(rendered.results)] {
    std::vector<std::uint8_t> rgb;
    rgb.reserve(std::size_t{3} * p.width * p.height);
    for (const auto& stripe : rows) rgb.insert(rgb.end(), stripe.begin(), stripe.end());
    return compute::encode_png_rgb(p.width, p.height, rgb);
  });
  auto png = co_await run_parts(ctx, std::move(encode), on_loop);

  auto res = make_response(http::status::ok, std::move(png.results[0]), "image/png");
  // The body is an image, so the figures travel in headers.
  res.set("X-Where", on_loop ? "loop" : "pool");
  res.set("X-Parts", std::to_string(n_parts));
  res.set("X-Compute-Us", std::to_string(to_us(rendered.timings.compute + png.timings.compute)));
  res.set("X-Queue-Wait-Us",
          std::to_string(to_us(rendered.timings.queue_wait + png.timings.queue_wait)));
  co_return res;
}

}  // namespace

void add_cpu_routes(Router& router) {
  router.add(http::verb::get, "/cpu/primes", primes,
             "?n=0..2000000000 (10^7)&split=1..64 (workers)&where=pool|loop: counts primes <= n");
  router.add(http::verb::get, "/cpu/hash", hash,
             "?rounds=1..20000000 (100000)&size=1..1048576 (64)&where=pool|loop: "
             "iterated SHA-256, hex digest");
  router.add(http::verb::get, "/cpu/mandelbrot", mandelbrot,
             "?w=&h=1..2048 (512)&iter=1..10000 (256)&split=1..64 (workers)&where=pool|loop: "
             "a PNG, stripes rendered in parallel");
}

}  // namespace coroserve
