// make_plan(): the flags of a load run, checked and turned into a LoadPlan.
#include <fstream>
#include <random>
#include <sstream>

#include "client/cpu_sample.hpp"
#include "client/duration.hpp"
#include "client/errors.hpp"
#include "client/mix.hpp"
#include "client/options.hpp"

namespace corobench {

namespace {

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(std::string("cannot read ") + what + " '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

boost::asio::ip::address parse_bind(const std::string& text) {
  boost::system::error_code ec;
  const auto a = boost::asio::ip::make_address(text, ec);
  if (ec) {
    throw UsageError("invalid --bind address '" + text +
                     "': expected an IP address of this machine, e.g. 127.0.0.2 or ::1");
  }
  return a;
}

// How many, how long, how fast: everything but what is sent.
void set_shape(LoadPlan& p, const LoadOptions& o) {
  p.connections = o.connections;
  p.threads = o.threads.value_or(std::min(2u, o.connections));
  if (o.duration || !o.requests) {
    p.duration = parse_duration(o.duration.value_or(kDefaultDuration), "--duration");
  }
  p.total_requests = o.requests;
  p.timeout = parse_duration(o.timeout, "--timeout");
  p.warmup = parse_duration(o.warmup, "--warmup");
  p.keepalive = !o.no_keepalive;
  p.pipeline = o.pipeline;
  p.connect_rate = o.connect_rate;
  p.rate = o.rate;
  if (o.arrival) {
    if (!o.rate) throw UsageError("--arrival applies to the open loop only: give a rate with -R");
    // The word was checked by the parser.
    p.arrival = parse_arrival(*o.arrival).value_or(Arrival::uniform);
  }
  p.seed = std::random_device{}();
  // The word was checked by the parser; --no-progress is --progress off.
  p.progress = o.no_progress ? ProgressMode::off
                             : parse_progress_mode(o.progress).value_or(ProgressMode::off);
  if (!o.bind.empty()) p.bind = parse_bind(o.bind);
  if (o.server_pid) {
    if (!cpu_snapshot(*o.server_pid)) {
      throw UsageError("--server-pid " + std::to_string(*o.server_pid) +
                       ": no such process here (or its /proc entry cannot be read)");
    }
    p.server_pid = o.server_pid;
  }
}

// --cacert, --insecure and --tls-resume, for https:// only.
void set_tls(LoadPlan& p, const LoadOptions& o) {
  const bool given = !o.cacert.empty() || o.insecure || o.tls_resume;
  if (given && !p.target.tls) {
    throw UsageError("--cacert, --insecure and --tls-resume apply to https:// URLs only");
  }
  p.tls.cacert = o.cacert;
  p.tls.verify = !o.insecure;
  p.tls.resume = o.tls_resume.value_or("on") == "on";
}

// One request per line of the --mix file, each reported on its own.
void add_mix_requests(LoadPlan& p, const LoadOptions& o) {
  if (o.method) throw UsageError("--method does not apply with --mix: each line names its own");
  for (const MixLine& m : load_mix_file(o.mix_file, p.target)) {
    p.requests.push_back(
        make_request(m.method, m.target, o.headers, m.body, p.keepalive, m.weight));
  }
  p.per_line_stats = true;
}

// The one request of the flags: --method, --body or --body-file.
void add_single_request(LoadPlan& p, const LoadOptions& o) {
  std::string body;
  if (o.body) body = *o.body;
  if (o.body_file) body = read_file(*o.body_file, "--body-file");
  const bool has_body = o.body || o.body_file;
  const std::string method = o.method.value_or(has_body ? "POST" : "GET");
  if (method.empty()) throw UsageError("--method must not be empty");
  for (char c : method) {
    if (c <= ' ' || c >= 127) throw UsageError("invalid --method '" + method + "'");
  }
  p.requests.push_back(make_request(method, p.target, o.headers, body, p.keepalive));
}

}  // namespace

LoadPlan make_plan(const LoadOptions& o) {
  LoadPlan p;
  p.target = parse_target(o.url);
  set_shape(p, o);
  set_tls(p, o);
  for (const auto& h : o.headers) validate_header(h);
  if (o.mix_file.empty()) {
    add_single_request(p, o);
  } else {
    add_mix_requests(p, o);
  }
  p.validate();
  return p;
}

}  // namespace corobench
