#include "client/demo_server.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "client/errors.hpp"
#include "client/http_get.hpp"

namespace corobench {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// A CPU request of about this long makes the loop stall visible against a
// 10 ms timer request, and still fits dozens into a phase.
constexpr double kCpuTargetSeconds = 0.020;

const json::value* field(const json::value& v, const char* name) {
  return v.is_object() ? v.as_object().if_contains(name) : nullptr;
}

}  // namespace

ServerInfo fetch_info(const Target& origin, const TlsPlan& tls) {
  const HttpGetResult r = http_get(origin, "/", 3000ms, tls);
  if (r.status != 200) {
    throw RunError("GET / answered " + std::to_string(r.status) + "; is this a coroserve?");
  }
  boost::system::error_code ec;
  const json::value v = json::parse(r.body, ec);
  const json::value* w = ec ? nullptr : field(v, "workers");
  if (!w || !w->is_number()) {
    throw RunError("GET / did not return coroserve's info JSON with a \"workers\" field");
  }
  const auto workers = w->to_number<std::int64_t>();
  if (workers < 1) throw RunError("GET / reports " + std::to_string(workers) + " workers");
  ServerInfo info{static_cast<unsigned>(workers), ""};
  if (const json::value* on = field(v, "tls_handshake_on"); on && on->is_string()) {
    info.tls_handshake_on = std::string(on->as_string());
  }
  return info;
}

std::string cpu_path(std::uint64_t n, const char* where) {
  return "/cpu/primes?n=" + std::to_string(n) + "&split=1&where=" + where;
}

std::uint64_t calibrate_cpu_n(const Target& origin, const TlsPlan& tls) {
  std::uint64_t n = 1'000'000;
  std::uint64_t good = 0;
  for (int i = 0; i < 6; ++i) {
    const HttpGetResult r = http_get(origin, cpu_path(n, "pool"), 10'000ms, tls);
    if (r.status == 400 && good) break;  // past the server's cap: keep the last good n
    if (r.status != 200) {
      throw RunError("GET " + cpu_path(n, "pool") + " answered " + std::to_string(r.status) + ": " +
                     r.body + " (use --cpu-n to choose n)");
    }
    good = n;
    const double ratio = kCpuTargetSeconds / std::max(r.seconds, 1e-4);
    if (ratio > 0.7 && ratio < 1.4) break;
    n = static_cast<std::uint64_t>(static_cast<double>(n) * std::clamp(ratio, 0.1, 8.0));
    n = std::max<std::uint64_t>(n, 1000);
  }
  return good;
}

}  // namespace corobench
