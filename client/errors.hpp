#pragma once
#include <stdexcept>

namespace corobench {

// Bad flags, a bad URL or a bad mix file: the user can fix it. main() prints
// the message and exits with status 2 (the convention of CLI11 and curl).
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run could not start or finish: unresolvable host, refused connection,
// an unwritable output file. main() prints the message and exits with 1.
class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace corobench
