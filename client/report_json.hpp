#pragma once
#include <boost/json/object.hpp>

#include "client/runner.hpp"

namespace corobench {

// The version of the JSON layout below. `corobench compare` reads only the
// layouts it knows; a change that moves or renames a field raises it.
inline constexpr int kJsonSchema = 3;

// The full result as JSON; docs/corobench.md documents the schema.
boost::json::object to_json(const RunResult& r);

// The latency summary object ("latency_us") on its own; also used by demo.
boost::json::object latency_json(const coroserve::LatencyHistogram& h);

}  // namespace corobench
