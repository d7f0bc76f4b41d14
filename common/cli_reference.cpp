#include "common/cli_reference.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "common/markdown_table.hpp"

namespace coroserve {

namespace {

// "-c,--connections" as the reader types it.
std::string flags_of(const CLI::Option& opt) {
  if (opt.get_positional()) return opt.get_name(true);
  std::string out;
  for (const auto& s : opt.get_snames()) out += (out.empty() ? "-" : ", -") + s;
  for (const auto& l : opt.get_lnames()) out += (out.empty() ? "--" : ", --") + l;
  return out;
}

// What the validators accept ("INT in [1 - 256]", "{pool,loop}"): the type
// name CLI11 prints in --help, without the bare type before the first ':'.
std::string accepted_values(const CLI::Option& opt) {
  const std::string type = opt.get_type_name();
  const auto colon = type.find(':');
  if (colon == std::string::npos) return opt.get_expected_max() == 0 ? "flag" : type;
  return type.substr(colon + 1);
}

bool documented(const CLI::Option* opt) {
  const std::string name = opt->get_name();
  return !opt->get_group().empty() && name != "--help" && name != "--version";
}

// CLI11 captures no default for a flag: a flag is off unless given.
std::string default_of(const CLI::Option& opt) {
  const std::string d = opt.get_default_str();
  return d.empty() && opt.get_expected_max() == 0 ? "false" : d;
}

std::string code(const std::string& s) {
  return s.empty() ? "" : "`" + s + "`";
}

}  // namespace

std::string env_name(std::string_view prefix, std::string_view flag) {
  while (!flag.empty() && flag.front() == '-') flag.remove_prefix(1);
  std::string out(prefix);
  for (char c : flag) {
    out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string options_markdown(const CLI::App& app) {
  const auto options = app.get_options(documented);
  // The environment column only for a command whose options read one.
  const bool env = std::any_of(options.begin(), options.end(),
                               [](const CLI::Option* o) { return !o->get_envname().empty(); });
  std::vector<TableRow> rows;
  for (const CLI::Option* opt : options) {
    TableRow row{code(flags_of(*opt)), code(default_of(*opt)), accepted_values(*opt),
                 opt->get_description()};
    if (env) row.insert(row.begin() + 1, code(opt->get_envname()));
    rows.push_back(std::move(row));
  }
  if (!env) return markdown_table({"option", "default", "values", "meaning"}, rows);
  return markdown_table({"option", "environment", "default", "values", "meaning"}, rows);
}

std::string options_summary(const CLI::App& app) {
  std::string out;
  for (const CLI::Option* opt : app.get_options(documented)) {
    if (opt->get_positional() || opt->get_lnames().empty()) continue;
    if (!out.empty()) out += ' ';
    out += opt->get_lnames().front() + "=" + default_of(*opt);
  }
  return out;
}

}  // namespace coroserve
