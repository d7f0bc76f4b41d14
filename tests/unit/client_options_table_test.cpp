// corobench's options tables are read from the CLI11 definitions parse_cli()
// parses with: every option has its row, and the default a row shows is the
// one a run without that flag gets.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "client/options.hpp"

namespace {

using namespace corobench;
using Defaults = std::map<std::string, std::string>;  // option cell -> default cell

std::vector<std::string> cells_of(std::string row) {
  // "| a | b |" -> {"a", "b"}; an empty cell stays empty.
  row = row.substr(2, row.size() - 4);
  std::vector<std::string> cells;
  for (std::size_t pos = 0;;) {
    const std::size_t bar = row.find(" | ", pos);
    cells.push_back(row.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
    if (bar == std::string::npos) return cells;
    pos = bar + 3;
  }
}

Defaults defaults_in(const std::string& markdown) {
  std::istringstream in(markdown);
  std::string line;
  std::getline(in, line);
  // corobench reads no environment variables: no environment column.
  EXPECT_EQ(line, "| option | default | values | meaning |");
  std::getline(in, line);  // the rule
  Defaults out;
  while (std::getline(in, line)) {
    const auto cells = cells_of(line);
    EXPECT_EQ(cells.size(), 4u) << line;
    if (cells.size() == 4) out[cells[0]] = cells[1];
  }
  return out;
}

std::string code(const std::string& s) {
  return "`" + s + "`";
}

std::string flag_code(bool b) {
  return code(b ? "true" : "false");
}

template <typename Number>
std::string number_code(Number n) {
  return code(std::to_string(n));
}

// What the table must say, from the option structs' own defaults; options
// whose default depends on other flags say so in their meaning, not here.
Defaults load_defaults(const LoadOptions& o) {
  return {{"`url`", ""},
          {"`-c, --connections`", number_code(o.connections)},
          {"`-t, --threads`", ""},
          {"`-d, --duration`", ""},
          {"`-n, --requests`", ""},
          {"`-m, --method`", ""},
          {"`-H, --header`", ""},
          {"`--body`", ""},
          {"`--body-file`", ""},
          {"`--timeout`", code(o.timeout)},
          {"`--warmup`", code(o.warmup)},
          {"`--no-keepalive`", flag_code(o.no_keepalive)},
          {"`--pipeline`", number_code(o.pipeline)},
          {"`-R, --rate`", ""},
          {"`--arrival`", ""},
          {"`--connect-rate`", ""},
          {"`--bind`", ""},
          {"`--cacert`", ""},
          {"`--insecure`", flag_code(o.insecure)},
          {"`--tls-resume`", ""},
          {"`--versus`", ""},
          {"`--versus-pid`", ""},
          {"`--round`", code(o.round)},
          {"`--server-pid`", ""},
          {"`--mix`", ""},
          {"`--json`", ""},
          {"`--latency-csv`", ""},
          {"`--fail-on`", ""},
          {"`--timeline`", ""},
          {"`--progress`", "`" + o.progress + "`"},
          {"`--no-progress`", flag_code(o.no_progress)}};
}

Defaults demo_defaults(const DemoOptions& d) {
  return {{"`url`", ""},
          {"`--svg`", ""},
          {"`--json`", ""},
          {"`--phase`", code(d.phase)},
          {"`--io-ms`", number_code(d.io_ms)},
          {"`--io-connections`", number_code(d.io_connections)},
          {"`--cpu-n`", number_code(d.cpu_n)},
          {"`--no-progress`", flag_code(d.no_progress)},
          {"`--cacert`", ""},
          {"`--insecure`", flag_code(d.insecure)},
          {"`--storm-compare`", ""}};
}

CliResult parse(std::vector<const char*> args) {
  args.insert(args.begin(), "corobench");
  return parse_cli(static_cast<int>(args.size()), args.data());
}

TEST(ClientOptionsTable, EveryLoadOptionWithTheDefaultOfLoadOptions) {
  EXPECT_EQ(defaults_in(options_markdown()), load_defaults(LoadOptions{}));
}

TEST(ClientOptionsTable, EveryDemoOptionWithTheDefaultOfDemoOptions) {
  EXPECT_EQ(defaults_in(demo_options_markdown()), demo_defaults(DemoOptions{}));
}

TEST(ClientOptionsTable, TheDefaultsShownAreWhatARunWithoutTheFlagsGets) {
  const CliResult load = parse({"http://127.0.0.1:8080/"});
  ASSERT_EQ(load.command, CliResult::Command::load);
  EXPECT_EQ(defaults_in(options_markdown()), load_defaults(load.load));
  const CliResult demo = parse({"demo", "http://127.0.0.1:8080"});
  ASSERT_EQ(demo.command, CliResult::Command::demo);
  EXPECT_EQ(defaults_in(demo_options_markdown()), demo_defaults(demo.demo));
  const CliResult compare = parse({"compare", "a.json", "b.json"});
  ASSERT_EQ(compare.command, CliResult::Command::compare);
  EXPECT_EQ(compare.compare_files, (std::vector<std::string>{"a.json", "b.json"}));
}

TEST(ClientOptionsTable, RowsCarryTheAcceptedValuesAndTheMeaning) {
  const std::string md = options_markdown();
  EXPECT_NE(md.find("| `-c, --connections` | `10` | UINT in [1 - 100000] | Open connections in "
                    "total, spread evenly over the threads |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("--help"), std::string::npos) << md;
  EXPECT_EQ(md.find("--io-ms"), std::string::npos) << "demo options belong to the demo's table";
}

}  // namespace
