#pragma once
// Running the corobench binary from a test: its exit status, output and
// --json result, bounded in time.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/support/process.hpp"

namespace corobench::test {

struct Bench {
  coroserve::test::RunOutput run;
  boost::json::object result;  // the --json output; empty if none was written
};

// Runs corobench with `args` (URL included), --no-progress and --json.
Bench corobench(std::vector<std::string> args,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Runs corobench with exactly `args`, nothing added.
coroserve::test::RunOutput corobench_raw(std::vector<std::string> args,
                                         std::chrono::milliseconds timeout);

std::uint64_t u(const boost::json::value& v);
double d(const boost::json::value& v);

// requests == responses + errors, for the total and for each error kind;
// every response in exactly one latency histogram (2xx or its class), every
// error in the errors' one.
void expect_counts_add_up(const boost::json::object& r);

// Status, stdout and stderr, for failure messages.
std::string why(const Bench& b);
std::string why(const coroserve::test::RunOutput& r);

}  // namespace corobench::test
