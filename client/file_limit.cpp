#include "client/file_limit.hpp"

#include <sys/resource.h>

#include <string>

#include "client/errors.hpp"

namespace corobench {

namespace {

// Descriptors a run holds besides its sockets: standard streams, files
// being read and written, /proc readings; and each thread's epoll, wake-up
// and timer descriptors.
constexpr rlim_t kSpareFiles = 64;
constexpr rlim_t kFilesPerThread = 4;

}  // namespace

void ensure_file_limit(unsigned connections, unsigned threads) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  const rlim_t needed = rlim_t{connections} + kFilesPerThread * threads + kSpareFiles;
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= needed) return;
  const rlim_t soft = lim.rlim_cur;
  const rlim_t hard = lim.rlim_max;
  if (hard == RLIM_INFINITY || hard >= needed) {
    lim.rlim_cur = hard == RLIM_INFINITY ? needed : hard;
    if (::setrlimit(RLIMIT_NOFILE, &lim) == 0) return;
  }
  throw UsageError("-c " + std::to_string(connections) + " needs about " + std::to_string(needed) +
                   " open files, but the limit is " + std::to_string(soft) +
                   " (raise it with ulimit -n, or lower -c)");
}

}  // namespace corobench
