#include "server/endpoints.hpp"

#include <vector>

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
                       .fallback_text = "workers, within the queue bounds",
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

// lint: table (every endpoint, one row of data each)
constexpr Endpoint kEndpoints[] = {
    {verb::get,
     "/",
     h::info,
     {},
     "name, version, workers, queue bound, endpoints with one-line help",
     "info"},
    {verb::get, "/healthz", h::healthz, {}, "liveness: 200 while the process serves", "ops"},
    {verb::get, "/readyz", h::readyz, {}, "readiness: 200, or 503 while draining", "ops"},
    {verb::get, "/metrics", h::metrics, {}, "Prometheus text format", "ops"},
    {verb::get,
     "/stats",
     h::stats,
     {},
     "the same figures as JSON, for people and the dashboard",
     "ops"},
    {verb::get,
     "/plaintext",
     h::plaintext,
     {},
     "Hello, World! as text/plain: the cheapest request, for throughput baselines (its query "
     "is not checked)",
     "baseline",
     /*checks_query=*/false},
    {verb::get, "/io/sleep", h::sleep, kSleep, "waits on a timer (simulated I/O), says how long",
     "I/O"},
    {verb::get, "/io/fanout", h::fanout, kFanout,
     "n concurrent waits, wait i lasting ms*(i+1)/n: done in about ms, not the sum", "I/O"},
    {verb::post,
     "/echo",
     h::echo,
     {},
     "returns the body (up to --max-body-bytes) with its Content-Type",
     "I/O"},
    {verb::get, "/cpu/primes", h::primes, kPrimes,
     "counts primes <= n with a segmented sieve, in split parallel ranges", "CPU"},
    {verb::get, "/cpu/hash", h::hash, kHash,
     "iterated SHA-256 (OpenSSL) over a size-byte seed (byte i = i mod 251), hex digest", "CPU"},
    {verb::get, "/cpu/mandelbrot", h::mandelbrot, kMandelbrot,
     "renders a PNG (libpng), stripes in parallel; w*h*iter at most 10^9", "CPU"},
    {verb::get,
     "/dashboard",
     h::dashboard,
     {},
     "a live page charting requests/s, loop lag, queue and busy workers from /stats",
     "ops"},
};

}  // namespace

std::span<const Endpoint> endpoints() {
  return kEndpoints;
}

std::span<const Endpoint> admin_endpoints() {
  static const std::vector<Endpoint> admin = [] {
    std::vector<Endpoint> out;
    for (const auto& e : kEndpoints) {
      if (e.kind == "ops" || e.kind == "info") out.push_back(e);
    }
    return out;
  }();
  return admin;
}

std::string endpoints_markdown() {
  std::vector<TableRow> rows;
  for (const auto& e : endpoints()) {
    std::string params, endpoint = "`";
    for (const auto& line : describe_params(e.params)) {
      if (!params.empty()) params += "<br>";
      params += line;
    }
    endpoint.append(http::to_string(e.method)).append(" ").append(e.path).append("`");
    rows.push_back({endpoint, std::string(e.kind), params, std::string(e.summary)});
  }
  return markdown_table({"endpoint", "kind", "parameters", "what it does"}, rows);
}

}  // namespace coroserve
