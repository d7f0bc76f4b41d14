#include "tests/support/server_stats.hpp"

#include <boost/json/parse.hpp>

#include <sstream>
#include <stdexcept>

#include "tests/support/http.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {

namespace http = boost::beast::http;

boost::json::object stats_json(std::uint16_t port) {
  auto r = http_get(port, "/stats");
  if (r.result() != http::status::ok) {
    throw std::runtime_error("GET /stats answered " + std::to_string(r.result_int()));
  }
  return boost::json::parse(r.body()).as_object();
}

std::int64_t connection_count(std::uint16_t port, std::string_view which) {
  return stats_json(port).at("connections").at(which).to_number<std::int64_t>();
}

std::string metrics_text(std::uint16_t port) {
  auto r = http_get(port, "/metrics");
  if (r.result() != http::status::ok) {
    throw std::runtime_error("GET /metrics answered " + std::to_string(r.result_int()));
  }
  const std::string_view type = r[http::field::content_type];
  if (type.find("text/plain; version=0.0.4") == std::string_view::npos) {
    throw std::runtime_error("GET /metrics has Content-Type '" + std::string(type) + "'");
  }
  return r.body();
}

std::optional<double> metric_sample(const std::string& text, std::string_view series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return std::nullopt;
}

bool pool_idle(const PoolStats& s) {
  return s.busy == 0 && s.queued == 0;
}

std::string describe(const PoolStats& s) {
  std::ostringstream out;
  out << "busy " << s.busy << ", queued " << s.queued << ", done " << s.done << ", failed "
      << s.failed << ", rejected " << s.rejected << ", skipped " << s.skipped;
  return out.str();
}

::testing::AssertionResult wait_for_pool(const std::function<PoolStats()>& stats,
                                         std::string_view what,
                                         const std::function<bool(const PoolStats&)>& condition,
                                         std::chrono::milliseconds timeout) {
  auto done = wait_until([&] { return condition(stats()); }, timeout, what);
  if (!done) done << " (pool: " << describe(stats()) << ")";
  return done;
}

}  // namespace coroserve::test
