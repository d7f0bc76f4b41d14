#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/duration.hpp"
#include "client/load_plan.hpp"

namespace corobench {

// How long a run sends when neither -d nor -n is given.
inline constexpr const char* kDefaultDuration = "10s";

// The flags of `corobench [options] URL`, as typed; make_plan() checks them.
struct LoadOptions {
  std::string url;
  unsigned connections = 10;
  std::optional<unsigned> threads;  // default: min(2, connections)
  std::optional<std::string> duration;
  std::optional<std::uint64_t> requests;
  std::optional<std::string> method;  // default GET, or POST when a body is given
  std::vector<std::string> headers;
  std::optional<std::string> body;
  std::optional<std::string> body_file;
  std::string timeout = "5s";
  std::string warmup = "0s";
  bool no_keepalive = false;
  unsigned pipeline = 1;
  std::optional<double> rate;
  std::optional<std::string> arrival;  // "uniform" (the default) or "poisson"; needs -R
  std::optional<double> connect_rate;
  std::string bind;
  std::optional<int> server_pid;
  std::string cacert;
  bool insecure = false;
  std::optional<std::string> tls_resume;  // "on" (the default) or "off"
  std::string mix_file;
  std::string json_file;
  std::string latency_csv_file;
  std::vector<std::string> fail_on;  // thresholds, parsed by parse_fail_on()
  std::string timeline_file;
  std::string progress = "auto";
  bool no_progress = false;
  std::string versus;             // a second target, loaded in rounds beside `url`
  std::optional<int> versus_pid;  // its server, as --server-pid is the first's
  std::string round = "2s";       // length of each round of --versus
};

// The flags of `corobench demo URL`.
struct DemoOptions {
  std::string url;
  std::string svg_file;
  std::string json_file;
  std::string phase = "4s";      // length of each measured phase
  unsigned io_ms = 10;           // /io/sleep?ms=
  unsigned io_connections = 20;  // concurrent I/O clients
  std::uint64_t cpu_n = 0;       // /cpu/primes?n= ; 0: calibrate to ~20 ms a request
  bool no_progress = false;
  std::string cacert;         // https: the CA to trust
  bool insecure = false;      // https: accept any certificate
  std::string storm_compare;  // https: a second coroserve for the handshake storm phase
};

struct CliResult {
  enum class Command { load, demo, compare, exit } command = Command::exit;
  int exit_code = 0;  // for Command::exit: 0 after --help/--version
  LoadOptions load;
  DemoOptions demo;
  std::vector<std::string> compare_files;  // `corobench compare A.json B.json ...`
};

// Parses argv with CLI11. On --help, --version or a parse error it prints
// (help to stdout, errors to stderr) and returns Command::exit.
CliResult parse_cli(int argc, const char* const* argv);

// The options of `corobench [options] URL` and of `corobench demo URL` as
// Markdown tables, a row per option with its default, accepted values and
// meaning, read from the very CLI11 definitions parse_cli() parses with:
// the options tables of docs/corobench.md.
std::string options_markdown();
std::string demo_options_markdown();

// Turns the flags into a validated plan: parses the URL, reads --body-file
// and --mix, serializes the requests (make_plan.cpp). Throws UsageError.
LoadPlan make_plan(const LoadOptions& o);

}  // namespace corobench
