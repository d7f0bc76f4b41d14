#pragma once
#include <string>

#include "client/errors.hpp"

namespace corobench::test {

// The message of the UsageError `fn` throws, or "no error": for tests that
// check what a bad flag is told.
template <typename Fn>
std::string usage_error(Fn&& fn) {
  try {
    fn();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace corobench::test
