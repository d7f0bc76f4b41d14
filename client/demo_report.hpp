#pragma once
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "client/demo_phases.hpp"
#include "client/svg_chart.hpp"

namespace corobench {

// What the demo prints: a line naming the server and the requests, the
// table, the parallel speed-up and how the I/O p99 fares with CPU work on
// the pool and on the loop. `rows` are the five phases in order.
std::string format_demo_report(const DemoSetup& s, const std::vector<DemoRow>& rows);

// The I/O latencies (p50, p99) of the phases with I/O, for --svg.
BarChart demo_chart(const DemoSetup& s, const std::vector<DemoRow>& rows);

// The table as JSON, for --json.
boost::json::object demo_json(const DemoSetup& s, const std::vector<DemoRow>& rows);

}  // namespace corobench
