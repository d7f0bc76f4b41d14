#pragma once
#include <cstdint>
#include <string>

#include "client/target_url.hpp"
#include "client/tls_plan.hpp"

namespace corobench {

// What the demo asks the server before it measures anything. Each throws
// RunError, saying what answered instead of a coroserve.

// What the server's info JSON at GET / says that the demo needs.
struct ServerInfo {
  unsigned workers = 1;          // the size of its worker pool
  std::string tls_handshake_on;  // "pool" or "loop"; "" when it speaks plain HTTP
};
ServerInfo fetch_info(const Target& origin, const TlsPlan& tls);

// An n for which one /cpu/primes request takes ~20 ms on this machine,
// whatever the server's algorithm: time one request, scale n, repeat.
std::uint64_t calibrate_cpu_n(const Target& origin, const TlsPlan& tls);

// The demo's CPU request; `where` is "pool" or "loop".
std::string cpu_path(std::uint64_t n, const char* where);

}  // namespace corobench
