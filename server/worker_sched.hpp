#pragma once
// How the kernel schedules the worker threads against the loop thread. The
// loop should win the CPU whenever it has something to do, so that I/O
// latency holds while the workers are saturated.
#include <optional>
#include <string_view>

namespace coroserve {

// other: SCHED_OTHER with a nice value; batch: SCHED_BATCH (no wake-up
// preemption) with a nice value; idle: SCHED_IDLE (runs only on a core with
// nothing else runnable; a nice value means nothing there).
enum class WorkerSched { other, batch, idle };

std::optional<WorkerSched> parse_worker_sched(std::string_view text);
std::string_view name(WorkerSched policy);

// Applies the policy, and `nice` for other and batch, to the calling thread
// only (Linux schedules threads, not processes). Returns false when the
// kernel refused (a seccomp profile, say); the thread keeps what it had.
bool apply_worker_sched(WorkerSched policy, int nice);

}  // namespace coroserve
