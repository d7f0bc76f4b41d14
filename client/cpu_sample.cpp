#include "client/cpu_sample.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace corobench {

namespace {

std::string read_line(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::getline(in, line);
  return line;
}

// The order a snapshot keeps its threads in, which the lookups below rely on.
bool by_thread_id(const ThreadTimes& x, const ThreadTimes& y) {
  return x.tid < y.tid;
}

// /proc/self or /proc/PID.
std::filesystem::path proc_dir(pid_t pid) {
  return std::filesystem::path("/proc") / (pid == 0 ? "self" : std::to_string(pid));
}

}  // namespace

double tick_seconds() {
  static const double s = 1.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return s;
}

std::optional<std::uint64_t> process_cpu_ticks(pid_t pid) {
  return stat_line_ticks(read_line(proc_dir(pid) / "stat"));
}

// The command name may hold spaces and parentheses: the fields start after
// the last ')'. utime and stime are fields 14 and 15 of the line, the 12th
// and 13th after the state.
std::optional<std::uint64_t> stat_line_ticks(const std::string& line) {
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(line.substr(close + 1));
  std::string field;
  for (int i = 0; i < 11; ++i) {
    if (!(in >> field)) return std::nullopt;
  }
  std::uint64_t utime = 0;
  std::uint64_t stime = 0;
  if (!(in >> utime >> stime)) return std::nullopt;
  return utime + stime;
}

std::uint64_t schedstat_wait_ns(const std::string& line) {
  std::istringstream in(line);
  std::uint64_t run_ns = 0;
  std::uint64_t wait_ns = 0;
  return (in >> run_ns >> wait_ns) ? wait_ns : 0;
}

std::optional<CpuSnapshot> cpu_snapshot(pid_t pid) {
  const std::filesystem::path dir = proc_dir(pid) / "task";
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return std::nullopt;
  CpuSnapshot s;
  s.at = std::chrono::steady_clock::now();
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    // A thread that ended since the listing has no stat to read: skipped.
    if (const auto t = stat_line_ticks(read_line(entry.path() / "stat"))) {
      s.threads.push_back({static_cast<pid_t>(std::stol(name)), *t,
                           schedstat_wait_ns(read_line(entry.path() / "schedstat"))});
    }
  }
  std::sort(s.threads.begin(), s.threads.end(), by_thread_id);
  return s;
}

namespace {

// The thread's times at `a`; zero for a thread born since.
ThreadTimes times_before(const CpuSnapshot& a, pid_t tid) {
  const auto it = std::lower_bound(a.threads.begin(), a.threads.end(), tid,
                                   [](const ThreadTimes& t, pid_t id) { return t.tid < id; });
  return it != a.threads.end() && it->tid == tid ? *it : ThreadTimes{tid, 0, 0};
}

}  // namespace

bool keeps_every_thread(const CpuSnapshot& later, const CpuSnapshot& earlier) {
  return std::includes(later.threads.begin(), later.threads.end(), earlier.threads.begin(),
                       earlier.threads.end(), by_thread_id);
}

CpuUse cpu_between(const CpuSnapshot& a, const CpuSnapshot& b) {
  const double wall = std::chrono::duration<double>(b.at - a.at).count();
  CpuUse u;
  if (wall <= 0) return u;
  double busiest = 0;
  double runnable = 0;
  for (const ThreadTimes& now : b.threads) {
    const ThreadTimes then = times_before(a, now.tid);
    const double seconds =
        static_cast<double>(now.ticks - std::min(now.ticks, then.ticks)) * tick_seconds();
    const double waited =
        static_cast<double>(now.wait_ns - std::min(now.wait_ns, then.wait_ns)) * 1e-9;
    u.cpu_seconds += seconds;
    busiest = std::max(busiest, seconds);
    runnable = std::max(runnable, seconds + waited);
  }
  u.cores = u.cpu_seconds / wall;
  u.busiest_thread = busiest / wall;
  u.busiest_runnable = std::min(1.0, runnable / wall);
  return u;
}

}  // namespace corobench
