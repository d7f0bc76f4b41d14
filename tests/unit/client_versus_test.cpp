// `corobench --versus`: the paired interval on simulated rounds of a machine
// whose speed drifts, the order of the rounds, the plan's checks, and the
// report of rounds written here.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <random>

#include "client/options.hpp"
#include "client/versus.hpp"
#include "tests/unit/client_usage_error.hpp"

namespace {

using namespace corobench;
using corobench::test::usage_error;
using ::testing::HasSubstr;

// A machine whose speed wanders: each 2-second round its log speed takes
// a random step, about 20 % over a minute, as this VM's cores were seen to.
// A round's value is the work's cost times the speed, with 3 % of noise of
// its own. Returns the rounds of A (cost 1) and B (cost `factor`) in pairs
// run A B, B A, ... (`paired`), or all of A and then all of B.
struct Rounds {
  std::vector<double> a;
  std::vector<double> b;
};

Rounds drifting_rounds(std::mt19937_64& rng, std::size_t pairs, double factor, bool paired) {
  std::normal_distribution<double> step(0.0, 0.04);
  std::normal_distribution<double> noise(0.0, 0.03);
  double log_speed = 0;
  const auto round = [&](double cost) {
    log_speed += step(rng);
    return cost * std::exp(log_speed + noise(rng));
  };
  Rounds r;
  for (std::size_t i = 0; i < 2 * pairs; ++i) {
    const bool is_a = paired ? (i % 2 == 0) == a_goes_first(i / 2) : i < pairs;
    (is_a ? r.a : r.b).push_back(round(is_a ? 1.0 : factor));
  }
  return r;
}

int paired_flagged(std::uint64_t seed, int trials, double factor) {
  std::mt19937_64 rng(seed);
  int flagged = 0;
  for (int i = 0; i < trials; ++i) {
    const Rounds r = drifting_rounds(rng, 30, factor, true);
    flagged += paired_ratio_interval(r.a, r.b).differs() ? 1 : 0;
  }
  return flagged;
}

TEST(ClientVersus, RoundsAlternateWhichTargetGoesFirst) {
  EXPECT_TRUE(a_goes_first(0));
  EXPECT_FALSE(a_goes_first(1));
  EXPECT_TRUE(a_goes_first(2));
  EXPECT_FALSE(a_goes_first(3));
}

TEST(ClientVersus, PairedIntervalWorkedByHand) {
  // log ratios: log 1.1, log 1.2, log 1.1, log 1.2; their mean's standard
  // error is sd / 2 with sd = (log 1.2 - log 1.1) / sqrt(3) (n - 1 = 3).
  const RatioInterval ci = paired_ratio_interval({10, 10, 20, 20}, {11, 12, 22, 24});
  ASSERT_TRUE(ci.valid);
  const double m = (std::log(1.1) + std::log(1.2)) / 2;
  const double se = (std::log(1.2) - std::log(1.1)) / std::sqrt(3.0) / 2;
  EXPECT_NEAR(ci.ratio, std::exp(m), 1e-12);
  EXPECT_DOUBLE_EQ(ci.df, 3.0);
  EXPECT_NEAR(ci.hi, std::exp(m + 3.182446305284263 * se), 1e-9);  // t(0.975, 3)
  EXPECT_NEAR(ci.lo * ci.hi, ci.ratio * ci.ratio, 1e-12);
  EXPECT_EQ(ci.batches_a, 4u);
}

TEST(ClientVersus, PairedIntervalNeedsFourWholePairs) {
  EXPECT_FALSE(paired_ratio_interval({1, 2, 3}, {1, 2, 3}).valid);
  EXPECT_FALSE(paired_ratio_interval({1, 2, 3, 4}, {1, 2, 3}).valid);
  EXPECT_FALSE(paired_ratio_interval({1, 0, 3, 4}, {1, 2, 3, 4}).valid);
  EXPECT_FALSE(paired_ratio_interval({1, NAN, 3, 4}, {1, 2, 3, 4}).valid);
  const RatioInterval same = paired_ratio_interval({1, 2, 3, 4}, {2, 4, 6, 8});
  ASSERT_TRUE(same.valid);  // every pair the same ratio: the interval is the point
  EXPECT_DOUBLE_EQ(same.lo, 2.0);
  EXPECT_DOUBLE_EQ(same.hi, 2.0);
  EXPECT_TRUE(same.differs());
}

// The reason for pairs: a machine that slows down while B runs makes two
// runs in a row say B is slower, though B's work is 10 % cheaper.
TEST(ClientVersus, PairsSeeThroughADriftThatMisleadsRunsInARow) {
  std::vector<double> a_then_b;  // rounds of a machine slowing 1 % a round
  for (int i = 0; i < 40; ++i) a_then_b.push_back(1.0 * std::pow(1.01, i));
  const std::vector<double> a_row(a_then_b.begin(), a_then_b.begin() + 20);
  std::vector<double> b_row;
  for (int i = 20; i < 40; ++i) b_row.push_back(0.9 * a_then_b[i]);
  EXPECT_GT(ratio_interval(a_row, b_row).ratio, 1.0);  // cheaper B looks costlier
  std::vector<double> a_pairs;
  std::vector<double> b_pairs;
  for (std::size_t i = 0; i < 20; ++i) {
    const double first = a_then_b[2 * i];
    const double second = a_then_b[2 * i + 1];
    a_pairs.push_back(a_goes_first(i) ? first : second);
    b_pairs.push_back(0.9 * (a_goes_first(i) ? second : first));
  }
  const RatioInterval ci = paired_ratio_interval(a_pairs, b_pairs);
  EXPECT_NEAR(ci.ratio, 0.9, 0.001);
  EXPECT_LT(ci.hi, 1.0);
}

TEST(ClientVersus, OneBuildIsCalledDifferentInAboutFivePercentOfRuns) {
  const int flagged = paired_flagged(21, 400, 1.0);
  EXPECT_LE(flagged, 32) << flagged << " of 400 pairs of one build";
}

TEST(ClientVersus, TenPercentIsFoundDespiteTheDrift) {
  const int up = paired_flagged(22, 100, 1.1);
  EXPECT_GE(up, 95) << up << " of 100";
  const int down = paired_flagged(23, 100, 1 / 1.1);
  EXPECT_GE(down, 95) << down << " of 100";
  // The same rounds run A first, then B, are mostly not told apart.
  std::mt19937_64 rng(24);
  int in_a_row = 0;
  for (int i = 0; i < 100; ++i) {
    const Rounds r = drifting_rounds(rng, 30, 1.1, false);
    in_a_row += ratio_interval(r.a, r.b).differs() && ratio_interval(r.a, r.b).lo > 1 ? 1 : 0;
  }
  EXPECT_LT(in_a_row, up) << in_a_row << " runs in a row found the change";
}

RunFigures round_of(double rate, double server_us) {
  RunFigures f;
  f.requests_per_s = f.goodput_per_s = rate;
  f.p50_us = 1e6 / rate;
  f.p99_us = 3e6 / rate;
  f.max_us = 5e6 / rate;
  f.server_us_per_response = server_us;
  return f;
}

VersusResult result_of(std::size_t pairs, double b_factor) {
  VersusResult r;
  r.url_a = "http://127.0.0.1:1/a";
  r.url_b = "http://127.0.0.1:2/b";
  r.round_s = 2;
  for (std::size_t i = 0; i < pairs; ++i) {
    const double speed = 1.0 + 0.2 * static_cast<double>(i % 3);  // the machine drifts
    r.a.push_back(round_of(1000 * speed, 100 / speed * (1 + 0.01 * (i % 2))));
    r.b.push_back(round_of(1000 * speed / b_factor, 100 * b_factor / speed));
  }
  return r;
}

std::string line_of(const std::string& text, const std::string& start) {
  const auto i = text.find(start);
  return i == std::string::npos ? std::string() : text.substr(i, text.find('\n', i) - i);
}

TEST(ClientVersus, ReportSaysWhichWayBDiffers) {
  const std::string text = format_versus(result_of(8, 1.1));
  EXPECT_THAT(text, HasSubstr("A = http://127.0.0.1:1/a\nB = http://127.0.0.1:2/b\n"));
  EXPECT_THAT(text, HasSubstr("8 pairs of 2 s rounds, run A B, B A, A B"));
  EXPECT_THAT(line_of(text, "  B vs A  requests/s"), HasSubstr("lower, beyond the noise"));
  EXPECT_THAT(line_of(text, "  B vs A  server CPU/req"), HasSubstr("higher, beyond the noise"));
  EXPECT_THAT(line_of(text, "  B vs A  server CPU/req"), HasSubstr("df 7.0"));
  // Figures without a per-round test are in the table only.
  EXPECT_EQ(line_of(text, "  B vs A  2xx max"), "");
  EXPECT_EQ(line_of(text, "  B vs A  corobench CPU/req"), "");  // not measured
}

TEST(ClientVersus, ReportWithTooFewPairsGivesNoVerdict) {
  const std::string text = format_versus(result_of(3, 1.1));
  EXPECT_THAT(line_of(text, "  B vs A  requests/s"),
              HasSubstr("no verdict: fewer than 4 pairs of rounds"));
}

TEST(ClientVersus, JsonHoldsTheRoundsAndTheIntervals) {
  const auto o = versus_json(result_of(6, 1.1));
  EXPECT_EQ(o.at("kind").as_string(), "versus");
  const auto& pairs = o.at("pairs").as_array();
  ASSERT_EQ(pairs.size(), 6u);
  EXPECT_EQ(pairs[1].at("first").as_string(), "B");
  EXPECT_DOUBLE_EQ(pairs[0].at("a").at("requests/s").as_double(), 1000.0);
  EXPECT_TRUE(pairs[0].at("a").at("corobench CPU/req").is_null());
  const auto& rps = o.at("b_vs_a").at("requests/s");
  EXPECT_EQ(rps.at("verdict").as_string(), "lower");
  EXPECT_NEAR(rps.at("ratio").as_double(), 1 / 1.1, 1e-9);
}

TEST(ClientVersus, PlanChecksTheFlags) {
  LoadOptions o;
  o.url = "http://127.0.0.1:1/a";
  o.versus = "http://127.0.0.1:2/b";
  o.duration = "10s";
  const VersusPlan p = make_versus_plan(o);
  EXPECT_EQ(p.pairs, 5u);
  EXPECT_EQ(*p.a.duration, std::chrono::seconds(2));
  EXPECT_EQ(p.b.target.port, 2);
  o.round = "3s";
  EXPECT_THAT(usage_error([&] { make_versus_plan(o); }),
              HasSubstr("at least 4 rounds of each target: -d 10s holds 3 of --round 3s"));
  o.round = "100ms";
  EXPECT_THAT(usage_error([&] { make_versus_plan(o); }), HasSubstr("--round must be at least"));
  o.round = "2s";
  o.requests = 100;
  EXPECT_THAT(usage_error([&] { make_versus_plan(o); }), HasSubstr("-n (rounds are timed"));
  o.requests.reset();
  o.timeline_file = "t.svg";
  EXPECT_THAT(usage_error([&] { make_versus_plan(o); }), HasSubstr("--timeline does not apply"));
  o.timeline_file.clear();
  o.versus = "ftp://x/";
  EXPECT_THAT(usage_error([&] { make_versus_plan(o); }), HasSubstr("ftp"));
}

TEST(ClientVersus, CliTakesTheRoundsFlagsOnlyWithASecondTarget) {
  const char* with[] = {"corobench",    "--versus", "http://127.0.0.1:2/", "--round", "1s",
                        "--versus-pid", "7",        "http://127.0.0.1:1/"};
  const CliResult r = parse_cli(8, with);
  ASSERT_EQ(r.command, CliResult::Command::load);
  EXPECT_EQ(r.load.versus, "http://127.0.0.1:2/");
  EXPECT_EQ(r.load.round, "1s");
  EXPECT_EQ(r.load.versus_pid, 7);
  const char* without[] = {"corobench", "--round", "1s", "http://127.0.0.1:1/"};
  EXPECT_EQ(parse_cli(4, without).exit_code, 2);
}

}  // namespace
