// corobench's mix-file parser: any text either parses into lines whose
// fields hold what the format promises, or throws UsageError. Nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "client/errors.hpp"
#include "client/mix.hpp"
#include "client/target_url.hpp"
#include "fuzz/common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const corobench::Target base = corobench::parse_target("http://127.0.0.1:8080/");
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto lines = corobench::parse_mix(text, "fuzz.mix", base);
    std::vector<unsigned> weights;
    for (const auto& l : lines) {
      if (l.weight < 1 || l.weight > corobench::kMaxMixWeight) coroserve::fuzz::fail("bad weight");
      if (l.method.empty()) coroserve::fuzz::fail("empty method");
      if (l.target.port != base.port || l.target.host != base.host) {
        coroserve::fuzz::fail("a mix line left the run's origin");
      }
      weights.push_back(l.weight);
    }
    if (!weights.empty()) {
      corobench::WeightedPicker picker(weights);
      for (int i = 0; i < 16; ++i) {
        if (picker.next() >= weights.size()) coroserve::fuzz::fail("picker out of range");
      }
    }
  } catch (const corobench::UsageError&) {
  }
  // The URL parser on its own as well: a mix line's URL and --url go through it.
  try {
    corobench::parse_target(text);
  } catch (const corobench::UsageError&) {
  }
  return 0;
}
