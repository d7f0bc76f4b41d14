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

double tick_seconds() {
  static const double s = 1.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return s;
}

}  // namespace

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

std::optional<CpuSnapshot> cpu_snapshot(pid_t pid) {
  const std::filesystem::path dir =
      std::filesystem::path("/proc") / (pid == 0 ? "self" : std::to_string(pid)) / "task";
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  if (ec) return std::nullopt;
  CpuSnapshot s;
  s.at = std::chrono::steady_clock::now();
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    // A thread that ended since the listing has no stat to read: skipped.
    if (const auto t = stat_line_ticks(read_line(entry.path() / "stat"))) {
      s.ticks.emplace_back(static_cast<pid_t>(std::stol(name)), *t);
    }
  }
  std::sort(s.ticks.begin(), s.ticks.end());
  return s;
}

CpuUse cpu_between(const CpuSnapshot& a, const CpuSnapshot& b) {
  const double wall = std::chrono::duration<double>(b.at - a.at).count();
  CpuUse u;
  if (wall <= 0) return u;
  double busiest = 0;
  for (const auto& [tid, ticks] : b.ticks) {
    const auto before = std::lower_bound(a.ticks.begin(), a.ticks.end(), std::make_pair(tid, 0ul));
    const std::uint64_t start =
        before != a.ticks.end() && before->first == tid ? before->second : 0;
    const double seconds = static_cast<double>(ticks - std::min(ticks, start)) * tick_seconds();
    u.cpu_seconds += seconds;
    busiest = std::max(busiest, seconds);
  }
  u.cores = u.cpu_seconds / wall;
  u.busiest_thread = busiest / wall;
  return u;
}

}  // namespace corobench
