#pragma once
#include <string>

#include "client/format.hpp"
#include "client/latency_csv.hpp"
#include "client/report_json.hpp"
#include "client/runner.hpp"

namespace corobench {

// The human summary printed at the end of a run.
std::string format_summary(const RunResult& r);

}  // namespace corobench
