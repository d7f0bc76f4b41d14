// CPU-bound endpoints: parameters, parts, co_await, format. The work runs on
// the worker pool (?where=pool, the default) or, to show the damage, on the
// event loop itself (?where=loop); server/offload.hpp decides how.
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
#include "server/offload.hpp"

namespace coroserve::handlers {

namespace {

// Memory a render holds at its peak: RGB stripes, the joined image and the
// PNG (at most about the raw size).
constexpr std::uint64_t kImageBytesPerPixel = 9;
// Pixels x iterations: about 2 s of one core at worst (every pixel inside the set).
constexpr std::uint64_t kMaxMandelbrotWork = 1'000'000'000;

// Durations are integer microseconds in JSON: exact, and readable (Boost.JSON
// would print a double as 1.2345E2).
std::int64_t to_us(std::chrono::nanoseconds d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

void add_timings(boost::json::object& o, Where where, std::size_t parts, const TaskTimings& t) {
  o["where"] = where == Where::loop ? "loop" : "pool";
  o["parts"] = parts;
  o["compute_us"] = to_us(t.compute);
  o["queue_wait_us"] = to_us(t.queue_wait);
}

// The parts a request is cut into: ?split=, else one per worker. On the
// pool they must fit the queue bounds at once, or the request could never
// be admitted, however idle the server: that is the client's to change (400),
// not a busy server's (503).
unsigned split_of(const RequestContext& ctx, Where where) {
  const auto& pool = ctx.server.pool;
  const std::size_t most = pool.max_parts_per_request();
  const auto asked = ctx.params.given("split");
  if (!asked) return static_cast<unsigned>(std::min<std::size_t>(pool.threads(), most));
  if (where == Where::pool && *asked > most) {
    throw HttpError(http::status::bad_request, "invalid_parameter",
                    "split=" + std::to_string(*asked) + " cannot be queued at once: at most " +
                        std::to_string(most) + " parts of a request may wait (--queue " +
                        std::to_string(pool.max_queue()) + ", --max-queued-per-client " +
                        std::to_string(pool.max_queued_per_client()) + ")");
  }
  return static_cast<unsigned>(*asked);
}

compute::MandelbrotParams image_of(const RequestContext& ctx) {
  compute::MandelbrotParams p;
  p.width = static_cast<unsigned>(ctx.params.number("w"));
  p.height = static_cast<unsigned>(ctx.params.number("h"));
  p.max_iter = static_cast<unsigned>(ctx.params.number("iter"));
  const std::uint64_t work = std::uint64_t{p.width} * p.height * p.max_iter;
  if (work > kMaxMandelbrotWork) {
    throw HttpError(http::status::bad_request, "invalid_parameter",
                    "w*h*iter is " + std::to_string(work) + "; the limit is " +
                        std::to_string(kMaxMandelbrotWork) + " (about 2 s of one core)");
  }
  return p;
}

// The memory a render holds at its peak. One larger than the whole budget
// could never start, so it is refused as a request to change (400), not as
// a busy server (503).
std::uint64_t image_bytes(const RequestContext& ctx, const compute::MandelbrotParams& p) {
  const std::uint64_t bytes = kImageBytesPerPixel * p.width * p.height;
  const std::uint64_t budget = ctx.server.image_memory.limit();
  if (bytes > budget) {
    throw HttpError(http::status::bad_request, "invalid_parameter",
                    "a " + std::to_string(p.width) + "x" + std::to_string(p.height) +
                        " render holds " + std::to_string(bytes) +
                        " bytes at its peak; --max-image-bytes allows " + std::to_string(budget) +
                        " for all renders at once");
  }
  return bytes;
}

}  // namespace

Answer primes(RequestContext& ctx) {
  const auto n = ctx.params.number("n");
  const auto where = where_to_run(ctx);
  Parts<std::uint64_t> parts;
  for (auto [lo, hi] : compute::split_range(n, split_of(ctx, where))) {
    parts.emplace_back([lo = lo, hi = hi] { return compute::count_primes_in_range(lo, hi); });
  }
  const auto n_parts = parts.size();
  auto r = co_await offload(ctx, std::move(parts), where);
  std::uint64_t count = 0;
  for (auto c : r.results) count += c;

  boost::json::object o{{"n", n}, {"primes", count}};
  add_timings(o, where, n_parts, r.timings);
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

// A hash chain is sequential by nature: one part, never split.
Answer hash(RequestContext& ctx) {
  const auto rounds = ctx.params.number("rounds");
  const auto size = ctx.params.number("size");
  const auto where = where_to_run(ctx);
  Parts<std::string> parts;
  parts.emplace_back([rounds, size] {
    return compute::to_hex(compute::sha256_chain(static_cast<std::size_t>(size), rounds));
  });
  auto r = co_await offload(ctx, std::move(parts), where);

  boost::json::object o{
      {"algorithm", "sha256"}, {"rounds", rounds}, {"size", size}, {"digest", r.results[0]}};
  add_timings(o, where, 1, r.timings);
  co_return json_response(http::status::ok, boost::json::serialize(o) + "\n");
}

// Stripes are rendered in parallel, then encoded to PNG as one more task.
Answer mandelbrot(RequestContext& ctx) {
  const auto where = where_to_run(ctx);
  const auto p = image_of(ctx);
  auto memory = ctx.server.image_memory.reserve(image_bytes(ctx, p));

  Parts<std::vector<std::uint8_t>> stripes;
  for (auto [begin, end] : compute::split_rows(p.height, split_of(ctx, where))) {
    stripes.emplace_back(
        [p, b = begin, e = end] { return compute::render_mandelbrot_rows(p, b, e); });
  }
  const auto n_parts = stripes.size();
  auto rendered = co_await offload(ctx, std::move(stripes), where);

  Parts<std::string> encode;
  encode.emplace_back([p, rows = std::move(rendered.results)] {
    std::vector<std::uint8_t> rgb;
    rgb.reserve(std::size_t{3} * p.width * p.height);
    for (const auto& stripe : rows) rgb.insert(rgb.end(), stripe.begin(), stripe.end());
    return compute::encode_png_rgb(p.width, p.height, rgb);
  });
  auto png = co_await offload(ctx, std::move(encode), where);

  auto res = make_response(http::status::ok, std::move(png.results[0]), "image/png");
  // The body is an image, so the figures travel in headers.
  res.set("X-Where", where == Where::loop ? "loop" : "pool");
  res.set("X-Parts", std::to_string(n_parts));
  res.set("X-Compute-Us", std::to_string(to_us(rendered.timings.compute + png.timings.compute)));
  res.set("X-Queue-Wait-Us",
          std::to_string(to_us(rendered.timings.queue_wait + png.timings.queue_wait)));
  co_return res;
}

}  // namespace coroserve::handlers
