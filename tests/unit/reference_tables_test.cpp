// The reference tables the README is generated from: Markdown escaping, the
// environment names derived from flags, and a CLI11 app read back as a table.
#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include "common/cli_reference.hpp"
#include "common/markdown_table.hpp"

namespace {

using coroserve::env_name;
using coroserve::markdown_table;

TEST(MarkdownTable, HeaderRuleAndEscapedCells) {
  EXPECT_EQ(markdown_table({"a", "b"}, {{"1", "x|y"}, {"two\nlines", ""}}),
            "| a | b |\n| --- | --- |\n| 1 | x\\|y |\n| two lines |  |\n");
}

TEST(EnvName, UpperSnakeCaseOfTheLongFlag) {
  EXPECT_EQ(env_name("COROSERVE_", "--max-body-bytes"), "COROSERVE_MAX_BODY_BYTES");
  EXPECT_EQ(env_name("X_", "port"), "X_PORT");
}

TEST(OptionsMarkdown, OneRowPerDocumentedOptionWithItsDefaultAndRange) {
  CLI::App app{"test"};
  app.option_defaults()->always_capture_default();
  unsigned workers = 3;
  std::string mode = "pool";
  bool verbose = false;
  app.add_option("-w,--workers", workers, "Worker threads")
      ->envname("T_WORKERS")
      ->check(CLI::Range(0u, 8u));
  app.add_option("--mode", mode, "Where")->check(CLI::IsMember({"pool", "loop"}));
  app.add_flag("--verbose", verbose, "Say more");
  app.add_option("--secret", mode, "not shown")->group("");
  const auto md = coroserve::options_markdown(app);
  EXPECT_NE(md.find("| `-w, --workers` | `T_WORKERS` | `3` | UINT in [0 - 8] | Worker threads |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `--mode` |  | `pool` | {pool,loop} | Where |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `--verbose` |  | `false` | flag | Say more |"), std::string::npos) << md;
  EXPECT_EQ(md.find("--secret"), std::string::npos) << md;
  EXPECT_EQ(md.find("--help"), std::string::npos) << md;
  EXPECT_EQ(coroserve::options_summary(app), "workers=3 mode=pool verbose=false");
}

TEST(OptionsMarkdown, NoEnvironmentColumnWhenNoOptionReadsOne) {
  CLI::App app{"test"};
  int n = 1;
  app.add_option("-n", n, "How many")->capture_default_str();
  EXPECT_EQ(coroserve::options_markdown(app),
            "| option | default | values | meaning |\n| --- | --- | --- | --- |\n"
            "| `-n` | `1` | INT | How many |\n");
}

}  // namespace
