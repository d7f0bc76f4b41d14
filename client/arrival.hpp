#pragma once
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace corobench {

// How an open loop spaces its sends: evenly (a metronome, like wrk2), or as
// a Poisson process (independent arrivals, as of many users who do not wait
// for each other), whose bursts and lulls a metronome never produces.
enum class Arrival : std::uint8_t { uniform, poisson };

std::optional<Arrival> parse_arrival(std::string_view text) noexcept;
std::string_view to_string(Arrival a) noexcept;

// The gaps between the arrivals of a Poisson process: exponentially
// distributed with the given mean. Seeded with the run's seed and a stream
// number (the connection's), so a schedule can be replayed; a small
// generator, since every connection of a run holds one.
class PoissonGaps {
 public:
  PoissonGaps(double mean_ns, std::uint64_t seed, std::uint32_t stream);
  double next_ns() { return exp_(rng_); }
  double mean_ns() const noexcept { return 1.0 / exp_.lambda(); }

 private:
  std::minstd_rand rng_;
  std::exponential_distribution<double> exp_;
};

}  // namespace corobench
