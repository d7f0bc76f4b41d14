#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace coroserve::compute {

inline constexpr std::uint64_t kMaxPrimesN = 2'000'000'000ULL;  // cap documented in README

// Number of primes p with lo <= p <= hi, by a segmented sieve of Eratosthenes over odd numbers
// with 32 KiB segments. Each call computes its own base primes and keeps no mutable shared
// state, so disjoint ranges can be counted on different threads.
// Throws std::invalid_argument unless lo <= hi <= kMaxPrimesN.
std::uint64_t count_primes_in_range(std::uint64_t lo, std::uint64_t hi);

// pi(n): primes <= n. Throws std::invalid_argument if n > kMaxPrimesN.
std::uint64_t count_primes(std::uint64_t n);

// Splits [0, n] into k contiguous inclusive ranges [lo, hi] covering it exactly once, in order,
// of about equal size. If k > n + 1, n + 1 single-number ranges are returned (never empty ones).
// Throws std::invalid_argument if k == 0.
std::vector<std::pair<std::uint64_t, std::uint64_t>> split_range(std::uint64_t n, unsigned k);

}  // namespace coroserve::compute
