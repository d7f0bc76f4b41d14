#include "client/time_series_report.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

namespace corobench {

namespace json = boost::json;

namespace {

double us_or_none(const SecondLatency& h, std::int64_t ns) {
  return h.count() ? static_cast<double>(ns) / 1000.0 : SeriesPoint::kNone;
}

SeriesPoint point_of(const SecondCounts& c, double t, double warmup_s, double elapsed_s) {
  SeriesPoint p;
  p.t_s = t;
  p.duration_s = std::max(0.0, std::min(t + 1, elapsed_s) - std::max(t, -warmup_s));
  p.warmup = t < 0;
  p.ok = c.ok;
  p.other = c.other;
  p.errors = c.errors;
  p.p50_us = us_or_none(c.latency, c.latency.percentile(50));
  p.p99_us = us_or_none(c.latency, c.latency.percentile(99));
  p.max_us = us_or_none(c.latency, c.latency.max());
  p.connections = c.open;
  return p;
}

json::value or_null(double v) {
  return std::isnan(v) ? json::value(nullptr) : json::value(v);
}

json::object sample_json(const SeriesPoint& p) {
  json::object o;
  o["t_s"] = p.t_s;
  o["duration_s"] = p.duration_s;
  o["warmup"] = p.warmup;
  o["responses"] = p.responses();
  o["status_2xx"] = p.ok;
  json::object errors;
  errors["total"] = p.error_total();
  // Only the kinds that occurred: most seconds of most runs have none.
  for (std::size_t k = 0; k < kErrorKinds; ++k) {
    if (p.errors[k]) errors[to_string(static_cast<ErrorKind>(k))] = p.errors[k];
  }
  o["errors"] = std::move(errors);
  json::object lat;
  lat["p50"] = or_null(p.p50_us);
  lat["p99"] = or_null(p.p99_us);
  lat["max"] = or_null(p.max_us);
  o["latency_us"] = std::move(lat);
  o["connections"] = p.connections;
  o["cpu_s"] =
      json::object{{"generator", or_null(p.generator_cpu_s)}, {"server", or_null(p.server_cpu_s)}};
  return o;
}

const json::value& field(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  if (!v) throw std::invalid_argument(std::string("a sample has no \"") + name + "\"");
  return *v;
}

double number(const json::value& v, const char* name) {
  if (v.is_null()) return SeriesPoint::kNone;
  if (!v.is_number()) throw std::invalid_argument(std::string("\"") + name + "\" is not a number");
  return v.to_number<double>();
}

std::uint64_t count(const json::object& o, const char* name) {
  const double v = number(field(o, name), name);
  if (!(v >= 0)) throw std::invalid_argument(std::string("\"") + name + "\" is not a count");
  return static_cast<std::uint64_t>(v);
}

SeriesPoint point_from_json(const json::object& o) {
  SeriesPoint p;
  p.t_s = number(field(o, "t_s"), "t_s");
  p.duration_s = number(field(o, "duration_s"), "duration_s");
  const json::value& warm = field(o, "warmup");
  if (!warm.is_bool()) throw std::invalid_argument("\"warmup\" is not true or false");
  p.warmup = warm.get_bool();
  p.ok = count(o, "status_2xx");
  p.other = count(o, "responses") - std::min(p.ok, count(o, "responses"));
  const json::value& errors = field(o, "errors");
  if (!errors.is_object()) throw std::invalid_argument("\"errors\" is not an object");
  for (std::size_t k = 0; k < kErrorKinds; ++k) {
    const std::string name(to_string(static_cast<ErrorKind>(k)));
    if (errors.get_object().contains(name)) p.errors[k] = count(errors.get_object(), name.c_str());
  }
  const json::value& lat = field(o, "latency_us");
  if (!lat.is_object()) throw std::invalid_argument("\"latency_us\" is not an object");
  p.p50_us = number(field(lat.get_object(), "p50"), "p50");
  p.p99_us = number(field(lat.get_object(), "p99"), "p99");
  p.max_us = number(field(lat.get_object(), "max"), "max");
  p.connections = count(o, "connections");
  // Results written before CPU was read second by second have no "cpu_s".
  if (const json::value* cpu = o.if_contains("cpu_s")) {
    if (!cpu->is_object()) throw std::invalid_argument("\"cpu_s\" is not an object");
    p.generator_cpu_s = number(field(cpu->get_object(), "generator"), "generator");
    p.server_cpu_s = number(field(cpu->get_object(), "server"), "server");
  }
  return p;
}

}  // namespace

std::uint64_t SeriesPoint::error_total() const noexcept {
  std::uint64_t n = 0;
  for (auto e : errors) n += e;
  return n;
}

std::vector<SeriesPoint> series_points(const TimeSeries& s, double warmup_s, double elapsed_s) {
  std::vector<SeriesPoint> out;
  const auto w = static_cast<double>(s.warmup_seconds());
  for (std::size_t i = 0; i < s.seconds().size(); ++i) {
    const double t = static_cast<double>(i) - w;
    // A second past the last answer can only hold a connection opened late.
    if (t >= elapsed_s && i > 0) break;
    out.push_back(point_of(s.seconds()[i], t, warmup_s, elapsed_s));
  }
  return out;
}

std::vector<SeriesPoint> series_points(const RunResult& r) {
  auto points =
      series_points(r.series, std::chrono::duration<double>(r.plan.warmup).count(), r.elapsed_s);
  // The CPU readings start at second 0, the end of warmup.
  for (SeriesPoint& p : points) {
    if (p.warmup || !p.whole()) continue;
    const auto k = static_cast<std::size_t>(p.t_s);
    if (k < r.generator_cpu_seconds.size()) p.generator_cpu_s = r.generator_cpu_seconds[k];
    if (k < r.server_cpu_seconds.size()) p.server_cpu_s = r.server_cpu_seconds[k];
  }
  return points;
}

json::object series_json(const std::vector<SeriesPoint>& points) {
  json::object o;
  o["interval_s"] = 1.0;
  json::array samples;
  for (const SeriesPoint& p : points) samples.push_back(sample_json(p));
  o["samples"] = std::move(samples);
  return o;
}

std::vector<SeriesPoint> series_from_json(const json::object& time_series) {
  const json::value* samples = time_series.if_contains("samples");
  if (!samples || !samples->is_array()) {
    throw std::invalid_argument("\"time_series\" has no \"samples\" array");
  }
  std::vector<SeriesPoint> out;
  for (const json::value& v : samples->get_array()) {
    if (!v.is_object()) throw std::invalid_argument("a sample is not an object");
    out.push_back(point_from_json(v.get_object()));
  }
  return out;
}

}  // namespace corobench
