// corobench: the load generator that ships with coroserve, to measure it (and
// any HTTP/1.1 server) closed or open loop, and to show with numbers what
// CPU work on the event loop costs (`corobench demo`). Usage, options and
// the JSON schema: docs/corobench.md.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>

#include "client/compare.hpp"
#include "client/demo.hpp"
#include "client/errors.hpp"
#include "client/fail_on_check.hpp"
#include "client/options.hpp"
#include "client/report.hpp"
#include "client/runner.hpp"
#include "client/timeline_svg.hpp"
#include "client/versus.hpp"

namespace {

// SIGINT (Ctrl-C) and SIGTERM (`timeout`, a CI runner) both stop the run and
// still print its report; the exit status is 128 + the signal, as a shell's.
extern "C" void on_stop_signal(int sig) {
  corobench::interrupt_signal().store(sig);
  // A second signal kills at once, the usual contract of a CLI.
  if (corobench::interrupt_requested().exchange(true)) {
    std::_Exit(corobench::interrupted_exit_status());
  }
}

// A file a run writes besides its table ("-": stdout).
struct OutputFile {
  const std::string& path;
  const char* what;  // for the messages
  std::function<std::string(const corobench::RunResult&)> text;
};

std::vector<OutputFile> output_files(const corobench::LoadOptions& o) {
  return {
      {o.json_file, "--json file",
       [](const auto& r) { return boost::json::serialize(corobench::to_json(r)) + "\n"; }},
      {o.latency_csv_file, "--latency-csv file",
       [](const auto& r) { return corobench::latency_csv(r.stats.total.latency); }},
      {o.timeline_file, "--timeline file",
       [](const auto& r) { return corobench::timeline_svg(r); }},
  };
}

// Exit status 3 when a --fail-on threshold was crossed: a CI gate.
constexpr int kThresholdCrossed = 3;

// Names the crossed thresholds on stderr; true if there was one.
bool report_crossed(const std::vector<corobench::GateResult>& gates) {
  std::string crossed;
  for (const auto& g : gates) {
    if (g.crossed) crossed += (crossed.empty() ? "" : ", ") + g.threshold + " (" + g.actual + ")";
  }
  if (!crossed.empty()) std::cerr << "corobench: --fail-on threshold crossed: " << crossed << "\n";
  return !crossed.empty();
}

int run(const corobench::LoadOptions& o) {
  // Checked before the run, so that a typo costs no run.
  const auto thresholds = corobench::parse_fail_on(o.fail_on);
  const corobench::LoadPlan plan = corobench::make_plan(o);
  corobench::check_schedule_gates(thresholds, plan.rate.has_value());
  const std::vector<OutputFile> files = output_files(o);
  for (const OutputFile& f : files) corobench::check_writable(f.path, f.what);
  const corobench::RunResult r = corobench::run_load(plan);
  const auto gates = corobench::check_thresholds(thresholds, corobench::figures_of(r));
  // A file written to stdout ("-") keeps stdout to itself, so that it can be
  // piped; the table then goes to stderr.
  const bool stdout_taken =
      std::any_of(files.begin(), files.end(), [](const OutputFile& f) { return f.path == "-"; });
  (stdout_taken ? std::cerr : std::cout)
      << corobench::format_summary(r) << corobench::format_gates(gates) << std::flush;
  for (const OutputFile& f : files) {
    if (!f.path.empty()) corobench::write_text_file(f.path, f.text(r), f.what);
  }
  if (r.interrupted) return corobench::interrupted_exit_status();
  return report_crossed(gates) ? kThresholdCrossed : 0;
}

// Two targets in alternating rounds, and the paired comparison.
int versus(const corobench::LoadOptions& o) {
  const corobench::VersusPlan plan = corobench::make_versus_plan(o);
  corobench::check_writable(o.json_file, "--json file");
  const corobench::VersusResult r = corobench::run_versus(plan);
  (o.json_file == "-" ? std::cerr : std::cout) << corobench::format_versus(r) << std::flush;
  if (!o.json_file.empty()) {
    corobench::write_text_file(
        o.json_file, boost::json::serialize(corobench::versus_json(r)) + "\n", "--json file");
  }
  return r.interrupted ? corobench::interrupted_exit_status() : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const corobench::CliResult cli = corobench::parse_cli(argc, argv);
  if (cli.command == corobench::CliResult::Command::exit) return cli.exit_code;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  // A server that closes mid-write must give EPIPE, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  try {
    if (cli.command == corobench::CliResult::Command::demo) return corobench::run_demo(cli.demo);
    if (cli.command == corobench::CliResult::Command::compare) {
      return corobench::run_compare(cli.compare_files);
    }
    return cli.load.versus.empty() ? run(cli.load) : versus(cli.load);
  } catch (const corobench::UsageError& e) {
    std::cerr << "corobench: " << e.what() << "\nRun with --help for usage.\n";
    return 2;
  } catch (const corobench::RunError& e) {
    std::cerr << "corobench: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "corobench: unexpected error: " << e.what() << "\n";
    return 1;
  }
}
