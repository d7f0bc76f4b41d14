#include "client/report.hpp"

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include "client/errors.hpp"
#include "common/version.hpp"

namespace corobench {

namespace json = boost::json;

namespace {

struct Pct {
  const char* name;
  double q;
};
constexpr Pct kPercentiles[] = {{"p50", 50}, {"p75", 75},     {"p90", 90},
                                {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};

double per_s(std::uint64_t n, double s) {
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

std::string format_bytes(double b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) {
    b /= 1024;
    ++u;
  }
  return format_number(u == 0 ? "%.0f" : "%.2f", b) + " " + units[u];
}

std::string mode_line(const LoadPlan& p) {
  std::string s = "  " + std::to_string(p.connections) + " connection" +
                  (p.connections == 1 ? "" : "s") + " on " + std::to_string(p.threads) + " thread" +
                  (p.threads == 1 ? "" : "s") + ", ";
  s += p.rate ? "open loop at " + format_number("%.0f", *p.rate) + " req/s"
              : std::string("closed loop");
  s += p.keepalive ? ", keep-alive" : ", a connection per request";
  if (p.pipeline > 1) s += ", pipeline " + std::to_string(p.pipeline);
  if (p.duration)
    s += ", " + format_number("%.2f", std::chrono::duration<double>(*p.duration).count()) + " s";
  if (p.total_requests) s += ", -n " + std::to_string(*p.total_requests);
  if (p.warmup > Clock::duration::zero()) {
    s += " (+" + format_number("%.2f", std::chrono::duration<double>(p.warmup).count()) +
         " s warmup)";
  }
  return s + "\n";
}

std::string status_text(const LineStats& l) {
  std::string s;
  for (std::size_t code = 0; code < l.status.size(); ++code) {
    if (l.status[code] == 0) continue;
    if (!s.empty()) s += ' ';
    s += std::to_string(code) + "=" + std::to_string(l.status[code]);
  }
  return s.empty() ? "none" : s;
}

std::string errors_text(const LineStats& l) {
  std::string s;
  for (std::size_t k = 0; k < kErrorKinds; ++k) {
    if (l.errors[k] == 0) continue;
    if (!s.empty()) s += ' ';
    s += std::string(to_string(static_cast<ErrorKind>(k))) + "=" + std::to_string(l.errors[k]);
  }
  return s.empty() ? "none" : s;
}

json::object counts_json(const LineStats& l, double elapsed) {
  json::object o;
  o["requests"] = l.requests;
  o["responses"] = l.responses;
  json::object errors;
  errors["total"] = l.error_total();
  for (std::size_t k = 0; k < kErrorKinds; ++k) {
    errors[to_string(static_cast<ErrorKind>(k))] = l.errors[k];
  }
  o["errors"] = std::move(errors);
  json::object status;
  for (std::size_t code = 0; code < l.status.size(); ++code) {
    if (l.status[code] != 0) status[std::to_string(code)] = l.status[code];
  }
  o["status"] = std::move(status);
  o["bytes_sent"] = l.bytes_sent;
  o["bytes_received"] = l.bytes_received;
  o["requests_per_s"] = per_s(l.responses, elapsed);
  o["latency_us"] = latency_json(l.latency);
  return o;
}

}  // namespace

std::string format_number(const char* printf_format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, printf_format, v);
  return buf;
}

std::string format_duration_ns(double ns) {
  const char* units[] = {"ns", "us", "ms", "s"};
  int u = 0;
  double v = ns;
  // Switch units on the rounded value, so 999.7us prints as 1.00ms.
  while (u < 3 && std::fabs(v) >= 999.5) {
    v /= 1000;
    ++u;
  }
  const char* f = std::fabs(v) >= 99.95 ? "%.0f" : std::fabs(v) >= 9.995 ? "%.1f" : "%.2f";
  return format_number(f, v) + units[u];
}

json::object latency_json(const coroserve::LatencyHistogram& h) {
  json::object o;
  o["count"] = h.count();
  o["min"] = static_cast<double>(h.min()) / 1000.0;
  o["mean"] = h.mean() / 1000.0;
  o["stdev"] = h.stdev() / 1000.0;
  for (const auto& p : kPercentiles) o[p.name] = static_cast<double>(h.percentile(p.q)) / 1000.0;
  o["max"] = static_cast<double>(h.max()) / 1000.0;
  return o;
}

std::string format_summary(const RunResult& r) {
  const LoadPlan& p = r.plan;
  const LineStats& t = r.stats.total;
  std::string s;
  s += "corobench " + p.requests.front().method + " " + p.target.url +
       (p.requests.size() > 1 ? " (mix of " + std::to_string(p.requests.size()) + " lines)" : "") +
       "\n";
  s += mode_line(p);
  if (r.interrupted) s += "  interrupted: results cover the run until Ctrl-C\n";
  s += "\n";

  const auto& h = t.latency;
  s += "Latency      min      p50      p75      p90      p99    p99.9   p99.99      max     mean   "
       " stdev\n";
  char line[256];
  std::snprintf(line, sizeof line, "      %9s%9s%9s%9s%9s%9s%9s%9s%9s%9s\n",
                format_duration_ns(static_cast<double>(h.min())).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(50))).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(75))).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(90))).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(99))).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(99.9))).c_str(),
                format_duration_ns(static_cast<double>(h.percentile(99.99))).c_str(),
                format_duration_ns(static_cast<double>(h.max())).c_str(),
                format_duration_ns(h.mean()).c_str(), format_duration_ns(h.stdev()).c_str());
  s += line;
  if (p.rate) s += "  (open loop: latency counted from each request's scheduled send time)\n";
  s += "\n";
  s += "Requests:     " + std::to_string(t.requests) + " sent, " + std::to_string(t.responses) +
       " responses, " + std::to_string(t.error_total()) + " errors\n";
  s += "Requests/s:   " + format_number("%.2f", per_s(t.responses, r.elapsed_s)) + " (over " +
       format_number("%.3f", r.elapsed_s) + " s)\n";
  s += "Status:       " + status_text(t) + "\n";
  s += "Errors:       " + errors_text(t) + "\n";
  s += "Transfer:     " + format_bytes(static_cast<double>(t.bytes_received)) + " received (" +
       format_bytes(per_s(t.bytes_received, r.elapsed_s)) + "/s), " +
       format_bytes(static_cast<double>(t.bytes_sent)) + " sent\n";
  s += "Connections:  " + std::to_string(r.stats.connections_opened) + " opened\n";

  if (!r.stats.per_line.empty()) {
    s += "\nPer request line:\n";
    for (std::size_t i = 0; i < r.stats.per_line.size(); ++i) {
      const LineStats& l = r.stats.per_line[i];
      const RequestTemplate& rq = p.requests[i];
      s += "  [" + std::to_string(i + 1) + "] weight " + std::to_string(rq.weight) + "  " +
           rq.label + "\n";
      s += "      " + std::to_string(l.requests) + " sent, " + std::to_string(l.responses) +
           " responses, " + std::to_string(l.error_total()) + " errors; p50 " +
           format_duration_ns(static_cast<double>(l.latency.percentile(50))) + ", p99 " +
           format_duration_ns(static_cast<double>(l.latency.percentile(99))) + ", max " +
           format_duration_ns(static_cast<double>(l.latency.max())) + "; status " + status_text(l) +
           "; errors " + errors_text(l) + "\n";
    }
  }
  return s;
}

json::object to_json(const RunResult& r) {
  const LoadPlan& p = r.plan;
  json::object o;
  o["tool"] = "corobench";
  o["version"] = coroserve::kVersion;
  o["url"] = p.target.url;
  json::object cfg;
  cfg["method"] = p.requests.front().method;
  cfg["connections"] = p.connections;
  cfg["threads"] = p.threads;
  cfg["mode"] = p.rate ? "open" : "closed";
  cfg["rate"] = p.rate ? json::value(*p.rate) : json::value(nullptr);
  cfg["duration_s"] =
      p.duration ? json::value(std::chrono::duration<double>(*p.duration).count()) : nullptr;
  cfg["total_requests"] = p.total_requests ? json::value(*p.total_requests) : nullptr;
  cfg["timeout_s"] = std::chrono::duration<double>(p.timeout).count();
  cfg["warmup_s"] = std::chrono::duration<double>(p.warmup).count();
  cfg["keepalive"] = p.keepalive;
  cfg["pipeline"] = p.pipeline;
  o["config"] = std::move(cfg);
  o["elapsed_s"] = r.elapsed_s;
  o["interrupted"] = r.interrupted;
  json::object counts = counts_json(r.stats.total, r.elapsed_s);
  for (auto& kv : counts) o[kv.key()] = kv.value();
  o["connections_opened"] = r.stats.connections_opened;
  if (!r.stats.per_line.empty()) {
    json::array lines;
    for (std::size_t i = 0; i < r.stats.per_line.size(); ++i) {
      json::object l;
      l["line"] = i + 1;
      l["weight"] = p.requests[i].weight;
      l["method"] = p.requests[i].method;
      l["url"] = p.requests[i].url;
      for (auto& kv : counts_json(r.stats.per_line[i], r.elapsed_s)) l[kv.key()] = kv.value();
      lines.push_back(std::move(l));
    }
    o["per_line"] = std::move(lines);
  }
  return o;
}

std::string latency_csv(const coroserve::LatencyHistogram& h) {
  std::string s = "value_us,percentile,total_count,one_over_one_minus_percentile\n";
  for (const auto& pt : h.percentile_spectrum()) {
    const double frac = pt.percentile / 100.0;
    char buf[160];
    if (frac < 1.0) {
      std::snprintf(buf, sizeof buf, "%.3f,%.6f,%llu,%.2f\n",
                    static_cast<double>(pt.value_ns) / 1000.0, pt.percentile,
                    static_cast<unsigned long long>(pt.total_count), 1.0 / (1.0 - frac));
    } else {
      // 1/(1-1) is infinite; HdrHistogram leaves the column empty there.
      std::snprintf(buf, sizeof buf, "%.3f,%.6f,%llu,\n", static_cast<double>(pt.value_ns) / 1000.0,
                    pt.percentile, static_cast<unsigned long long>(pt.total_count));
    }
    s += buf;
  }
  return s;
}

void write_text_file(const std::string& path, const std::string& text, const char* what) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.flush();
  if (!out) {
    throw RunError(std::string("cannot write ") + what + " '" + path +
                   "': " + std::strerror(errno));
  }
}

}  // namespace corobench
