#include "server/worker_sched.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace coroserve {

std::optional<WorkerSched> parse_worker_sched(std::string_view text) {
  if (text == "other") return WorkerSched::other;
  if (text == "batch") return WorkerSched::batch;
  if (text == "idle") return WorkerSched::idle;
  return std::nullopt;
}

std::string_view name(WorkerSched policy) {
  switch (policy) {
    case WorkerSched::other:
      return "other";
    case WorkerSched::batch:
      return "batch";
    case WorkerSched::idle:
      return "idle";
  }
  return "other";
}

bool apply_worker_sched(WorkerSched policy, int nice) {
  const int kernel_policy = policy == WorkerSched::idle    ? SCHED_IDLE
                            : policy == WorkerSched::batch ? SCHED_BATCH
                                                           : SCHED_OTHER;
  sched_param param{};
  param.sched_priority = 0;  // the only priority these policies take
  bool ok = ::pthread_setschedparam(::pthread_self(), kernel_policy, &param) == 0;
  if (policy == WorkerSched::idle || nice <= 0) return ok;
  // setpriority(PRIO_PROCESS, tid) changes this one thread: the loop
  // thread keeps its own value. Never raise a priority the process lowered.
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  if (::getpriority(PRIO_PROCESS, tid) < nice)
    ok = ::setpriority(PRIO_PROCESS, tid, nice) == 0 && ok;
  return ok;
}

}  // namespace coroserve
