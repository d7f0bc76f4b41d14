#include "server/endpoints.hpp"

#include "common/markdown_table.hpp"
#include "server/compute/primes.hpp"
#include "server/handlers/handlers.hpp"
#include "server/offload.hpp"

namespace coroserve {

namespace {

using http::verb;
namespace h = handlers;

constexpr std::uint64_t kMaxSplit = 64;
constexpr std::uint64_t kMaxSleepMs = 10'000;

// The parameters of each endpoint: name, range, default, help. The caps
// bound one request to a few seconds of one core.
constexpr Param kSplit{.name = "split",
                       .min = 1,
                       .max = kMaxSplit,
                       .fallback_text = "workers",
                       .help = "parts the work is cut into, run in parallel"};
constexpr Param kPrimes[] = {
    {.name = "n", .max = compute::kMaxPrimesN, .fallback = 10'000'000, .help = "count primes <= n"},
    kSplit,
    kWhereParam,
    kTimeoutMsParam};
constexpr Param kHash[] = {
    // ~1.5 s at ~13 M rounds/s
    {.name = "rounds", .min = 1, .max = 20'000'000, .fallback = 100'000, .help = "SHA-256 rounds"},
    {.name = "size", .min = 1, .max = 1 << 20, .fallback = 64, .help = "bytes hashed first"},
    kWhereParam,
    kTimeoutMsParam};
constexpr Param kMandelbrot[] = {
    {.name = "w", .min = 1, .max = 2048, .fallback = 512, .help = "width in pixels"},
    {.name = "h", .min = 1, .max = 2048, .fallback = 512, .help = "height in pixels"},
    {.name = "iter", .min = 1, .max = 10'000, .fallback = 256, .help = "iterations per pixel"},
    kSplit,
    kWhereParam,
    kTimeoutMsParam};
constexpr Param kSleep[] = {
    {.name = "ms", .max = kMaxSleepMs, .fallback = 100, .help = "how long to wait"}};
constexpr Param kFanout[] = {
    {.name = "n", .min = 1, .max = 1'000, .fallback = 10, .help = "concurrent waits"},
    {.name = "ms", .max = kMaxSleepMs, .fallback = 100, .help = "the longest wait"}};

// lint: table (every endpoint, one line of data each)
constexpr Endpoint kEndpoints[] = {
    {verb::get, "/", h::info, {}, "this list: name, version, workers, endpoints"},
    {verb::get, "/healthz", h::healthz, {}, "liveness: 200 while the process serves"},
    {verb::get, "/readyz", h::readyz, {}, "readiness: 503 while draining"},
    {verb::get, "/metrics", h::metrics, {}, "Prometheus metrics (text format)"},
    {verb::get, "/stats", h::stats, {}, "the same figures as /metrics, as JSON"},
    {verb::get,
     "/plaintext",
     h::plaintext,
     {},
     "'Hello, World!' as text/plain: the cheapest request, for throughput baselines",
     /*checks_query=*/false},
    {verb::get, "/io/sleep", h::sleep, kSleep, "waits on a timer (simulated I/O), says how long"},
    {verb::get, "/io/fanout", h::fanout, kFanout, "n concurrent waits, done in about ms"},
    {verb::post, "/echo", h::echo, {}, "returns the body with its Content-Type"},
    {verb::get, "/cpu/primes", h::primes, kPrimes, "counts primes <= n"},
    {verb::get, "/cpu/hash", h::hash, kHash, "iterated SHA-256, hex digest"},
    {verb::get, "/cpu/mandelbrot", h::mandelbrot, kMandelbrot,
     "a PNG, stripes rendered in parallel"},
    {verb::get,
     "/dashboard",
     h::dashboard,
     {},
     "live page: charts of requests/s, loop lag, pool queue and busy workers from /stats"},
};

}  // namespace

std::span<const Endpoint> endpoints() {
  return kEndpoints;
}

std::string endpoints_markdown() {
  std::vector<TableRow> rows;
  for (const auto& e : endpoints()) {
    std::string params, path = "`";
    for (const auto& line : describe_params(e.params)) {
      if (!params.empty()) params += "<br>";
      params += line;
    }
    path.append(e.path).append("`");
    rows.push_back({std::string(http::to_string(e.method)), path, params, std::string(e.summary)});
  }
  return markdown_table({"method", "path", "parameters", "what it does"}, rows);
}

}  // namespace coroserve
