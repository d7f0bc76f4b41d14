#include "client/report.hpp"

#include <cstdio>

namespace corobench {

namespace {

double per_s(std::uint64_t n, double s) {
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

double secs(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string plural(unsigned n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

std::string mode_line(const LoadPlan& p) {
  std::string s = "  " + plural(p.connections, "connection") + " on " + plural(p.threads, "thread");
  if (p.bind) s += " from " + p.bind->to_string();
  s += p.rate ? ", open loop at " + format_number("%.0f", *p.rate) + " req/s"
              : std::string(", closed loop");
  if (p.rate && p.arrival == Arrival::poisson) s += " (Poisson arrivals)";
  s += p.keepalive ? ", keep-alive" : ", a connection per request";
  if (p.pipeline > 1) s += ", pipeline " + std::to_string(p.pipeline);
  if (p.duration) s += ", " + format_number("%.2f", secs(*p.duration)) + " s";
  if (p.total_requests) s += ", -n " + std::to_string(*p.total_requests);
  if (p.warmup > Clock::duration::zero()) {
    s += " (+" + format_number("%.2f", secs(p.warmup)) + " s warmup)";
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

std::string ns_text(const coroserve::LatencyHistogram& h, std::int64_t v) {
  return h.count() ? format_duration_ns(static_cast<double>(v)) : "-";
}

// One row of the latency table: min, percentiles, max, mean, stdev.
std::string latency_row(const char* label, const coroserve::LatencyHistogram& h) {
  const bool any = h.count() > 0;
  char line[256];
  std::snprintf(line, sizeof line, "  %-9s%9s%9s%9s%9s%9s%9s%9s%9s%9s%9s\n", label,
                ns_text(h, h.min()).c_str(), ns_text(h, h.percentile(50)).c_str(),
                ns_text(h, h.percentile(75)).c_str(), ns_text(h, h.percentile(90)).c_str(),
                ns_text(h, h.percentile(99)).c_str(), ns_text(h, h.percentile(99.9)).c_str(),
                ns_text(h, h.percentile(99.99)).c_str(), ns_text(h, h.max()).c_str(),
                any ? format_duration_ns(h.mean()).c_str() : "-",
                any ? format_duration_ns(h.stdev()).c_str() : "-");
  return line;
}

// 2xx answers first, always; then each other outcome that occurred.
std::string table_head(const char* title) {
  char head[160];
  std::snprintf(head, sizeof head, "%-11s%9s%9s%9s%9s%9s%9s%9s%9s%9s%9s\n", title, "min", "p50",
                "p75", "p90", "p99", "p99.9", "p99.99", "max", "mean", "stdev");
  return head;
}

std::string latency_table(const LineStats& t) {
  std::string s = table_head("Latency");
  s += latency_row("2xx", t.latency);
  for (std::size_t c = 0; c < kOtherClasses; ++c) {
    const std::string name(other_class_name(c));
    if (const auto* h = t.other_latency[c].get()) s += latency_row(name.c_str(), *h);
  }
  if (const auto* h = t.error_latency.get()) s += latency_row("errors", *h);
  return s;
}

// Connect and handshake per new connection, first byte per request.
std::string phases_table(const PhaseStats& ph) {
  std::string s = table_head("Phases");
  if (const auto* h = ph.connect.get()) s += latency_row("connect", *h);
  if (const auto* h = ph.tls_handshake.get()) s += latency_row("handshake", *h);
  if (const auto* h = ph.first_byte.get()) s += latency_row("1st byte", *h);
  return s;
}

std::string tls_line(const PhaseStats& ph) {
  if (ph.tls_handshakes == 0) return {};
  return "TLS:          " + ph.tls_protocol + " " + ph.tls_cipher + ", " +
         std::to_string(ph.tls_handshakes) + " handshakes (" + std::to_string(ph.tls_resumed) +
         " resumed)\n";
}

// CPU per answer, in µs, or "-" when there was none.
std::string us_per(double cpu_seconds, std::uint64_t responses) {
  if (responses == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f us", 1e6 * cpu_seconds / static_cast<double>(responses));
  return text;
}

// The CPU per request of corobench (and of the server when measured), and
// the verdict on what limited the run.
std::string limit_lines(const RunResult& r) {
  const std::uint64_t n = r.stats.total.responses;
  std::string s;
  if (r.plan.rate) {
    s += "Late sends:   " + std::to_string(r.stats.late_sends) + " (more than 1 ms after due), " +
         std::to_string(r.stats.dropped_sends) + " dropped (due before the end, never sent)\n";
  }
  s += "CPU/request:  corobench " + us_per(r.generator_cpu.cpu_seconds, n);
  if (r.server_cpu) s += ", server " + us_per(r.server_cpu->cpu_seconds, n);
  s += "\nLimited by:   " + r.verdict.why + "\n";
  return s;
}

std::string goodput_line(const LineStats& t, double elapsed) {
  const double share =
      t.responses ? 100.0 * static_cast<double>(t.ok_total()) / static_cast<double>(t.responses)
                  : 0.0;
  return "Goodput:      " + format_number("%.2f", per_s(t.ok_total(), elapsed)) +
         " 2xx answers/s (" + format_number("%.1f", share) + "% of responses)\n";
}

std::string totals(const RunResult& r) {
  const LineStats& t = r.stats.total;
  std::string s = "Requests:     " + std::to_string(t.requests) + " sent, " +
                  std::to_string(t.responses) + " responses, " + std::to_string(t.error_total()) +
                  " errors\n";
  s += "Requests/s:   " + format_number("%.2f", per_s(t.responses, r.elapsed_s)) + " (over " +
       format_number("%.3f", r.elapsed_s) + " s)\n";
  s += goodput_line(t, r.elapsed_s);
  s += "Status:       " + status_text(t) + "\n";
  s += "Errors:       " + errors_text(t) + "\n";
  s += "Transfer:     " + format_bytes(static_cast<double>(t.bytes_received)) + " received (" +
       format_bytes(per_s(t.bytes_received, r.elapsed_s)) + "/s), " +
       format_bytes(static_cast<double>(t.bytes_sent)) + " sent\n";
  s += "Connections:  " + std::to_string(r.stats.connections_opened) + " opened";
  if (r.plan.connect_rate) {
    s += ", at most " + format_number("%g", *r.plan.connect_rate) + "/s (--connect-rate)";
  }
  s += '\n';
  s += tls_line(r.stats.phases);
  s += limit_lines(r);
  return s;
}

std::string per_line_text(const RunResult& r) {
  std::string s = "\nPer request line:\n";
  for (std::size_t i = 0; i < r.stats.per_line.size(); ++i) {
    const LineStats& l = r.stats.per_line[i];
    const RequestTemplate& rq = r.plan.requests[i];
    const auto& h = l.latency;
    s += "  [" + std::to_string(i + 1) + "] weight " + std::to_string(rq.weight) + "  " + rq.label +
         "\n";
    s += "      " + std::to_string(l.requests) + " sent, " + std::to_string(l.responses) +
         " responses, " + std::to_string(l.error_total()) + " errors; 2xx p50 " +
         ns_text(h, h.percentile(50)) + ", p99 " + ns_text(h, h.percentile(99)) + ", max " +
         ns_text(h, h.max()) + "; status " + status_text(l) + "; errors " + errors_text(l) + "\n";
  }
  return s;
}

}  // namespace

std::string format_summary(const RunResult& r) {
  const LoadPlan& p = r.plan;
  std::string s =
      "corobench " + p.requests.front().method + " " + p.target.url +
      (p.requests.size() > 1 ? " (mix of " + std::to_string(p.requests.size()) + " lines)" : "") +
      "\n";
  s += mode_line(p);
  if (r.interrupted) s += "  interrupted: results cover the run until Ctrl-C\n";
  // Appended piece by piece: GCC 12 warns falsely (-Wstringop-overflow) on
  // `s += "\n" + f()`.
  s += '\n';
  s += latency_table(r.stats.total);
  if (p.rate) s += "  (open loop: latency counted from each request's scheduled send time)\n";
  s += phases_table(r.stats.phases);
  s += '\n';
  s += totals(r);
  if (!r.stats.per_line.empty()) s += per_line_text(r);
  return s;
}

}  // namespace corobench
