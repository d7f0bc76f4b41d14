#include "client/arrival.hpp"

namespace corobench {

std::optional<Arrival> parse_arrival(std::string_view text) noexcept {
  if (text == "uniform") return Arrival::uniform;
  if (text == "poisson") return Arrival::poisson;
  return std::nullopt;
}

std::string_view to_string(Arrival a) noexcept {
  return a == Arrival::poisson ? "poisson" : "uniform";
}

PoissonGaps::PoissonGaps(double mean_ns, std::uint64_t seed, std::uint32_t stream)
    : exp_(1.0 / mean_ns) {
  // Through seed_seq: seeds one apart would otherwise start minstd_rand on
  // nearly equal numbers, and the connections' first sends would bunch.
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    stream};
  rng_.seed(seq);
}

}  // namespace corobench
