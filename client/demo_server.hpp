#pragma once
#include <cstdint>
#include <string>

#include "client/target_url.hpp"

namespace corobench {

// What the demo asks the server before it measures anything. Each throws
// RunError, saying what answered instead of a coroserve.

// The size of the server's worker pool, from its info JSON at GET /.
unsigned fetch_workers(const Target& origin);

// An n for which one /cpu/primes request takes ~20 ms on this machine,
// whatever the server's algorithm: time one request, scale n, repeat.
std::uint64_t calibrate_cpu_n(const Target& origin);

// The demo's CPU request; `where` is "pool" or "loop".
std::string cpu_path(std::uint64_t n, const char* where);

}  // namespace corobench
