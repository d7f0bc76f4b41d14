#pragma once
// A command's options are defined once, as CLI11 definitions. Everything
// else that speaks of them reads those definitions: the environment
// variable names, the startup banner and the README's options tables.
#include <CLI/App.hpp>

#include <string>
#include <string_view>

namespace coroserve {

// The environment variable an option also reads: the prefix and the long
// flag in upper snake case ("COROSERVE_", "--max-body-bytes" ->
// "COROSERVE_MAX_BODY_BYTES").
std::string env_name(std::string_view prefix, std::string_view flag);

// The options as a Markdown table: option, environment variable (when any
// option reads one), default, accepted values, meaning. Hidden options (group ""), --help and
// --version are left out.
std::string options_markdown(const CLI::App& app);

// "name=value" for every option with a value, in definition order, the
// value being its default as captured (the app must capture defaults).
std::string options_summary(const CLI::App& app);

}  // namespace coroserve
