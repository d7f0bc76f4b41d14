#include "client/file_limit.hpp"

#include <sys/resource.h>

#include <string>

#include "client/errors.hpp"

namespace corobench {

namespace {

// Descriptors a run holds besides its sockets: standard streams, each
// thread's epoll and wake-up descriptors, files being written.
constexpr rlim_t kSpareFiles = 64;

}  // namespace

void ensure_file_limit(unsigned connections) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  const rlim_t needed = rlim_t{connections} + kSpareFiles;
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= needed) return;
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < needed) {
    throw UsageError("-c " + std::to_string(connections) + " needs about " +
                     std::to_string(needed) + " open files, but the limit is " +
                     std::to_string(lim.rlim_max) + " (raise it with ulimit -n, or lower -c)");
  }
  lim.rlim_cur = lim.rlim_max == RLIM_INFINITY ? needed : lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
}

}  // namespace corobench
