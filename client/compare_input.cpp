#include "client/compare_input.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "client/errors.hpp"
#include "client/report_json.hpp"

namespace corobench {

namespace json = boost::json;

namespace {

// The first schema with per-second samples.
constexpr int kFirstSchemaWithSeries = 3;

const json::value& need(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  if (!v) throw std::invalid_argument(std::string("no \"") + name + "\" field");
  return *v;
}

double number(const json::object& o, const char* name) {
  const json::value& v = need(o, name);
  if (!v.is_number()) throw std::invalid_argument(std::string("\"") + name + "\" is not a number");
  return v.to_number<double>();
}

const json::object& object(const json::object& o, const char* name) {
  const json::value& v = need(o, name);
  if (!v.is_object()) throw std::invalid_argument(std::string("\"") + name + "\" is not an object");
  return v.get_object();
}

// "tool" and "schema": is this a result this corobench can compare?
void check_kind(const json::object& o, const std::string& path) {
  const json::value* tool = o.if_contains("tool");
  if (!tool || !tool->is_string() || tool->get_string() != "corobench") {
    throw UsageError(path + ": not a corobench result (no \"tool\": \"corobench\")");
  }
  if (const json::value* kind = o.if_contains("kind"); kind && *kind == "versus") {
    throw UsageError(path + ": a --versus result, which holds its own comparison of two targets");
  }
  const json::value* schema = o.if_contains("schema");
  if (!schema || !schema->is_int64()) throw UsageError(path + ": no schema number");
  const std::int64_t v = schema->get_int64();
  if (v > kJsonSchema) {
    throw UsageError(path + ": schema " + std::to_string(v) +
                     " is newer than this corobench reads (" + std::to_string(kJsonSchema) +
                     "); compare it with the corobench that wrote it");
  }
  if (v < kFirstSchemaWithSeries) {
    throw UsageError(path + ": schema " + std::to_string(v) +
                     " has no per-second time series (written by an older corobench); run "
                     "again with this one");
  }
  if (!o.contains("time_series")) throw UsageError(path + ": has no \"time_series\"");
}

// "us_per_request" of bottleneck.<who>, which is null when not measured.
double us_per_request(const json::object& o, const char* who) {
  const json::value* b = o.if_contains("bottleneck");
  if (!b || !b->is_object()) return SeriesPoint::kNone;
  const json::value* cpu = b->get_object().if_contains(who);
  if (!cpu || !cpu->is_object()) return SeriesPoint::kNone;
  const json::value* us = cpu->get_object().if_contains("us_per_request");
  return us && us->is_number() ? us->to_number<double>() : SeriesPoint::kNone;
}

RunFigures figures(const json::object& o, const std::string& path) {
  RunFigures r;
  r.path = path;
  r.requests_per_s = number(o, "requests_per_s");
  r.goodput_per_s = number(o, "goodput_per_s");
  const json::object& lat = object(o, "latency_us");
  r.p50_us = number(lat, "p50");
  r.p99_us = number(lat, "p99");
  r.max_us = number(lat, "max");
  r.errors = static_cast<std::uint64_t>(number(object(o, "errors"), "total"));
  r.generator_us_per_response = us_per_request(o, "generator_cpu");
  r.server_us_per_response = us_per_request(o, "server_cpu");
  r.series = series_from_json(object(o, "time_series"));
  return r;
}

}  // namespace

RunFigures parse_run(const std::string& text, const std::string& path) {
  boost::system::error_code ec;
  const json::value v = json::parse(text, ec);
  if (ec) throw UsageError(path + ": not JSON (" + ec.message() + ")");
  if (!v.is_object()) throw UsageError(path + ": not a corobench result (not a JSON object)");
  check_kind(v.get_object(), path);
  try {
    return figures(v.get_object(), path);
  } catch (const std::invalid_argument& e) {
    throw UsageError(path + ": not a corobench result of schema " + std::to_string(kJsonSchema) +
                     ": " + e.what());
  }
}

RunFigures read_run(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_run(text.str(), path);
}

}  // namespace corobench
