#pragma once
#include <string>
#include <vector>

#include "client/compare_input.hpp"
#include "client/run_noise.hpp"

namespace corobench {

// `corobench compare A.json B.json [C.json ...]`: the runs' figures side by
// side with their ratios to the first run's, then, for each figure with a
// per-second series (requests/s, goodput, 2xx p50 and p99), whether each
// run's difference from the first is larger than the noise: the interval of
// ratio_interval() over the measured whole seconds of both runs.
std::string format_comparison(const std::vector<RunFigures>& runs,
                              const NoiseSettings& settings = {});

// Reads the files, prints the comparison; 0, or throws UsageError (exit 2)
// naming the file that is unfit.
int run_compare(const std::vector<std::string>& files);

}  // namespace corobench
