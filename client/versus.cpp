#include "client/versus.hpp"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <iostream>

#include "client/duration.hpp"
#include "client/errors.hpp"
#include "client/format.hpp"
#include "client/options.hpp"
#include "client/report_json.hpp"
#include "client/runner.hpp"

namespace corobench {

namespace {

// A round's CPU figures come from /proc in clock ticks (10 ms): shorter
// rounds would measure CPU per answer in steps of several percent.
constexpr std::chrono::milliseconds kShortestRound{500};

// The flags that describe one run's output have no meaning for rounds.
void refuse_single_run_flags(const LoadOptions& o) {
  const auto refuse = [](bool given, const char* flag) {
    if (given) throw UsageError(std::string(flag) + " does not apply with --versus");
  };
  refuse(o.requests.has_value(), "-n (rounds are timed: use -d)");
  refuse(!o.latency_csv_file.empty(), "--latency-csv");
  refuse(!o.timeline_file.empty(), "--timeline");
  refuse(!o.fail_on.empty(), "--fail-on");
}

std::size_t pair_count(const LoadOptions& o, std::chrono::nanoseconds round) {
  const std::string each = o.duration.value_or(kDefaultDuration);
  const auto pairs = static_cast<std::size_t>(parse_duration(each, "--duration") / round);
  if (pairs < kMinNoiseSamples) {
    throw UsageError("--versus needs at least " + std::to_string(kMinNoiseSamples) +
                     " rounds of each target: -d " + each + " holds " + std::to_string(pairs) +
                     " of --round " + o.round);
  }
  return pairs;
}

}  // namespace

VersusPlan make_versus_plan(const LoadOptions& o) {
  refuse_single_run_flags(o);
  const auto round = parse_duration(o.round, "--round");
  if (round < kShortestRound) throw UsageError("--round must be at least 500ms");
  VersusPlan p;
  p.pairs = pair_count(o, round);
  LoadOptions one = o;
  one.duration = o.round;
  p.a = make_plan(one);
  one.url = o.versus;
  one.server_pid = o.versus_pid;
  p.b = make_plan(one);
  // A line a round instead of each round's own progress.
  p.progress = resolve(p.a.progress, ::isatty(STDERR_FILENO) != 0);
  p.a.progress = p.b.progress = ProgressMode::off;
  return p;
}

namespace {

// One round of A (`is_a`) or B into `out`, read back as `compare` reads a
// --json result so that both take each figure from one definition; false
// when Ctrl-C cut it short.
bool run_round(const VersusPlan& plan, std::size_t pair, bool is_a, RunFigures& out) {
  const std::string who = is_a ? "A" : "B";
  const RunResult r = run_load(is_a ? plan.a : plan.b);
  out = parse_run(boost::json::serialize(to_json(r)), who + " round " + std::to_string(pair + 1));
  if (plan.progress != ProgressMode::off && !r.interrupted) {
    std::cerr << "pair " << pair + 1 << " of " << plan.pairs << ", " << who << ": "
              << format_number("%.1f", out.requests_per_s) << " requests/s\n";
  }
  return !r.interrupted;
}

}  // namespace

VersusResult run_versus(const VersusPlan& plan) {
  VersusResult r;
  r.url_a = plan.a.target.url;
  r.url_b = plan.b.target.url;
  r.round_s = std::chrono::duration<double>(*plan.a.duration).count();
  for (std::size_t i = 0; i < plan.pairs; ++i) {
    RunFigures a;
    RunFigures b;
    const bool a_first = a_goes_first(i);
    // A pair cut short compares nothing: only whole pairs are kept.
    if (!run_round(plan, i, a_first, a_first ? a : b) ||
        !run_round(plan, i, !a_first, a_first ? b : a)) {
      r.interrupted = true;
      break;
    }
    r.a.push_back(std::move(a));
    r.b.push_back(std::move(b));
  }
  return r;
}

}  // namespace corobench
