#pragma once
#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "client/compare_input.hpp"
#include "client/load_plan.hpp"
#include "client/run_noise.hpp"

namespace corobench {

struct LoadOptions;

// `corobench --versus URL_B [options] URL_A`: two targets (two builds of a
// server on two ports, or two routes) loaded in alternating rounds, A B,
// B A, A B, ..., each round a fresh run of the same options. Two runs one
// after the other compare two moments of a machine as well as two targets:
// on a VM whose cores drift by tens of percent from one minute to the next,
// that drift hides a 10% change. Side by side in time, both rounds of a pair
// see the same machine, and the pairs' ratios carry only what differs
// between A and B. Reversing the order every pair cancels what being second
// does to a round (a warm cache, a slower core).
struct VersusPlan {
  LoadPlan a;  // one round of A: its duration is the round's
  LoadPlan b;
  std::size_t pairs = 0;
  ProgressMode progress = ProgressMode::off;  // one line a round, on stderr
};

// -d is the measured time of each target; --round cuts it into pairs.
// Throws UsageError for options a round cannot use.
VersusPlan make_versus_plan(const LoadOptions& o);

// Whether pair i runs A first: A B, B A, A B, ...
constexpr bool a_goes_first(std::size_t pair) noexcept {
  return pair % 2 == 0;
}

struct VersusResult {
  std::string url_a;
  std::string url_b;
  double round_s = 0;
  std::vector<RunFigures> a;  // a[i] and b[i]: the rounds of pair i
  std::vector<RunFigures> b;
  bool interrupted = false;  // Ctrl-C: the pairs done are reported
};

// Runs the rounds (blocks); a pair cut short by Ctrl-C is left out.
VersusResult run_versus(const VersusPlan& plan);

// The figures of A and B (medians of their rounds) and, for each figure a
// round measures, the paired interval of B / A and whether it excludes 1.
std::string format_versus(const VersusResult& r, const NoiseSettings& settings = {});

// The same for scripts: the rounds' figures and each figure's interval.
boost::json::object versus_json(const VersusResult& r, const NoiseSettings& settings = {});

}  // namespace corobench
