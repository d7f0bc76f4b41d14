#include "server/compute/primes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace coroserve::compute {
namespace {

// One byte per odd number: a 32 KiB segment stays in L1 while every base prime crosses it off.
constexpr std::size_t kSegmentBytes = 32 * 1024;

// Multiples of the smallest odd primes are cheaper to copy from a periodic pattern than to cross
// off: together they account for ~40% of all crossings-off. Period in odd numbers: 3*5*7*11*13.
constexpr std::array<std::uint64_t, 5> kPresievedPrimes = {3, 5, 7, 11, 13};
constexpr std::size_t kPatternPeriod = 3 * 5 * 7 * 11 * 13;
constexpr std::uint64_t kFirstSievingPrime = 17;

// Flag j stands for the odd number 2j+1. The pattern is one period plus a segment long, so any
// segment's flags are one contiguous copy starting at the right phase.
std::vector<std::uint8_t> make_presieve_pattern() {
  std::vector<std::uint8_t> v(kPatternPeriod + kSegmentBytes, 1);
  for (std::size_t j = 0; j < v.size(); ++j) {
    const std::uint64_t value = 2 * j + 1;
    for (const std::uint64_t q : kPresievedPrimes) {
      if (value % q == 0) {
        v[j] = 0;
        break;
      }
    }
  }
  return v;
}

// Built when the program starts, before any worker thread exists, and only
// read after that: the workers share it without a lock or a guard.
const std::vector<std::uint8_t> kPresievePattern = make_presieve_pattern();

std::uint64_t isqrt(std::uint64_t n) {
  auto r = static_cast<std::uint64_t>(std::sqrt(static_cast<double>(n)));
  while (r * r > n) --r;
  while ((r + 1) * (r + 1) <= n) ++r;
  return r;
}

// Odd primes in [kFirstSievingPrime, limit]; limit is at most sqrt(kMaxPrimesN), so a plain
// sieve is enough.
std::vector<std::uint64_t> sieving_primes(std::uint64_t limit) {
  std::vector<std::uint64_t> primes;
  if (limit < kFirstSievingPrime) return primes;
  std::vector<bool> composite(limit + 1, false);
  for (std::uint64_t i = 3; i * i <= limit; i += 2) {
    if (composite[i]) continue;
    for (std::uint64_t j = i * i; j <= limit; j += 2 * i) composite[j] = true;
  }
  for (std::uint64_t i = kFirstSievingPrime; i <= limit; i += 2) {
    if (!composite[i]) primes.push_back(i);
  }
  return primes;
}

// Flags are 0 or 1, so a multiply by 0x0101... sums a word's 8 bytes into its top byte.
std::uint64_t count_ones(const std::uint8_t* flags, std::size_t n) {
  std::uint64_t count = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, flags + i, sizeof w);
    count += (w * 0x0101010101010101ULL) >> 56;
  }
  for (; i < n; ++i) count += flags[i];
  return count;
}

// For each sieving prime, the flag index of its first odd multiple at or
// past `first` (and at least p*p: smaller multiples have a smaller factor).
std::vector<std::uint64_t> first_multiples(const std::vector<std::uint64_t>& primes,
                                           std::uint64_t first) {
  std::vector<std::uint64_t> next(primes.size());
  for (std::size_t k = 0; k < primes.size(); ++k) {
    const std::uint64_t p = primes[k];
    std::uint64_t m = std::max(p * p, (first + p - 1) / p * p);
    if (m % 2 == 0) m += p;  // odd multiples only; consecutive ones are 2p apart, i.e. p flags
    next[k] = (m - first) / 2;
  }
  return next;
}

// The flags of the odd numbers seg_first .. seg_first + 2(len-1), from the
// presieved pattern: multiples of the smallest primes already cleared.
void start_segment(std::uint8_t* segment, std::uint64_t seg_first, std::size_t len) {
  const std::size_t phase = static_cast<std::size_t>(((seg_first - 1) / 2) % kPatternPeriod);
  std::memcpy(segment, kPresievePattern.data() + phase, len);
  // The pattern cleared the presieved primes themselves along with their multiples.
  const std::uint64_t seg_last = seg_first + 2 * (len - 1);
  for (const std::uint64_t q : kPresievedPrimes) {
    if (q >= seg_first && q <= seg_last) segment[(q - seg_first) / 2] = 1;
  }
}

// Clears the multiples of every sieving prime in flags [base, base + len).
void cross_off(std::uint8_t* flags, std::uint64_t base, std::size_t len, std::uint64_t seg_last,
               const std::vector<std::uint64_t>& primes, std::vector<std::uint64_t>& next) {
  const std::uint64_t end = base + len;
  for (std::size_t k = 0; k < primes.size(); ++k) {
    const std::uint64_t p = primes[k];
    if (p * p > seg_last) break;  // primes are ascending; none further reaches this segment
    if (next[k] >= end) continue;
    std::uint64_t j = next[k] - base;
    for (; j < len; j += p) flags[j] = 0;
    next[k] = base + j;
  }
}

}  // namespace

std::uint64_t count_primes_in_range(std::uint64_t lo, std::uint64_t hi) {
  if (lo > hi) throw std::invalid_argument("count_primes_in_range: lo > hi");
  if (hi > kMaxPrimesN) throw std::invalid_argument("count_primes_in_range: hi > kMaxPrimesN");

  std::uint64_t count = (lo <= 2 && hi >= 2) ? 1 : 0;
  std::uint64_t first = std::max<std::uint64_t>(lo, 3);
  if (first % 2 == 0) ++first;
  if (first > hi) return count;

  // Global flag index i stands for the odd number first + 2i.
  const std::uint64_t total = (hi - first) / 2 + 1;
  const std::vector<std::uint64_t> primes = sieving_primes(isqrt(hi));
  std::vector<std::uint64_t> next = first_multiples(primes, first);
  std::vector<std::uint8_t> segment(kSegmentBytes);
  for (std::uint64_t base = 0; base < total; base += kSegmentBytes) {
    const std::size_t len =
        static_cast<std::size_t>(std::min<std::uint64_t>(kSegmentBytes, total - base));
    const std::uint64_t seg_first = first + 2 * base;
    start_segment(segment.data(), seg_first, len);
    cross_off(segment.data(), base, len, seg_first + 2 * (len - 1), primes, next);
    count += count_ones(segment.data(), len);
  }
  return count;
}

std::uint64_t count_primes(std::uint64_t n) {
  return count_primes_in_range(0, n);
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> split_range(std::uint64_t n, unsigned k) {
  if (k == 0) throw std::invalid_argument("split_range: k must be at least 1");
  // n + 1 numbers; computed as n / pieces and n % pieces so n = UINT64_MAX does not overflow.
  const std::uint64_t pieces = (n >= std::uint64_t{k} - 1) ? std::uint64_t{k} : n + 1;
  std::uint64_t size = n / pieces;
  std::uint64_t bigger = n % pieces + 1;  // that many pieces get size + 1 numbers
  if (bigger == pieces) {
    ++size;
    bigger = 0;
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  ranges.reserve(static_cast<std::size_t>(pieces));
  std::uint64_t lo = 0;
  for (std::uint64_t i = 0; i < pieces; ++i) {
    const std::uint64_t len = size + (i < bigger ? 1 : 0);
    ranges.emplace_back(lo, lo + (len - 1));
    lo += len;
  }
  return ranges;
}

}  // namespace coroserve::compute
