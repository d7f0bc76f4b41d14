#pragma once
// What the server reports about itself, read the way an operator reads it:
// GET /stats as JSON, GET /metrics as Prometheus text; and the worker pool's
// counters, waited on and shown in failure messages.
#include <gtest/gtest.h>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/worker_pool.hpp"

namespace coroserve::test {

// GET /stats on a fresh connection, parsed. Throws unless the answer is a
// 200 holding a JSON object.
boost::json::object stats_json(std::uint16_t port);

// /stats' connections.<which>: "open", "accepted", "parked", ...
std::int64_t connection_count(std::uint16_t port, std::string_view which);

// GET /metrics on a fresh connection. Throws unless the answer is a 200 in
// the Prometheus text format (Content-Type text/plain; version=0.0.4).
std::string metrics_text(std::uint16_t port);

// The value of the sample whose name and labels are exactly `series`
// (`name{label="v",...}` as the server writes it); nullopt when absent.
std::optional<double> metric_sample(const std::string& text, std::string_view series);

// Nothing running and nothing queued.
bool pool_idle(const PoolStats& s);

// "busy 1, queued 2, done 0, failed 0, rejected 0, skipped 0".
std::string describe(const PoolStats& s);

// Waits (see wait_until) until the counters that `stats` reads satisfy
// `condition`; a timeout fails with `what` and the counters seen last.
[[nodiscard]] ::testing::AssertionResult wait_for_pool(
    const std::function<PoolStats()>& stats, std::string_view what,
    const std::function<bool(const PoolStats&)>& condition,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace coroserve::test
