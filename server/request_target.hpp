#pragma once
// The request target split into its encoded path and query, once per request.
#include <optional>
#include <string_view>

namespace coroserve {

// From origin-form ("/p?q") or absolute-form ("http://host/p?q");
// `asterisk` is set for "*" (OPTIONS only). The views point into the target.
struct Target {
  std::string_view path;
  std::string_view query;
  bool asterisk = false;
};

// Returns nullopt when the target is none of the accepted forms.
std::optional<Target> split_target(std::string_view target);

}  // namespace coroserve
