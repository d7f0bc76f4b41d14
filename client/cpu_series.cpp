#include "client/cpu_series.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "client/cpu_sample.hpp"

namespace corobench {

void CpuSeries::record(Clock::time_point at, std::uint64_t ticks) {
  readings_.push_back({at, ticks});
}

void CpuSeries::poll(Clock::time_point now) {
  if (now < next_due_) return;
  next_due_ = boundary_after(now);
  if (const auto ticks = process_cpu_ticks(pid_)) record(now, *ticks);
}

CpuSeries::Clock::time_point CpuSeries::boundary_after(Clock::time_point t) const {
  if (t < start_) return start_;
  return boundary(static_cast<std::size_t>((t - start_) / std::chrono::seconds(1)) + 1);
}

// The ticks at `b`, the time between the readings around it taking an even
// share of their difference. Ticks that went backwards say nothing about
// that time.
std::optional<double> CpuSeries::ticks_at(Clock::time_point b) const {
  const auto after =
      std::lower_bound(readings_.begin(), readings_.end(), b,
                       [](const Reading& r, Clock::time_point t) { return r.at < t; });
  if (after == readings_.end()) return std::nullopt;
  if (after->at == b) return static_cast<double>(after->ticks);
  if (after == readings_.begin()) return std::nullopt;
  const Reading& before = *std::prev(after);
  if (after->ticks < before.ticks) return std::nullopt;
  // Whole nanoseconds: seconds as doubles would round a 0.3 s step.
  using Nanos = std::chrono::duration<double, std::nano>;
  const double into = Nanos(b - before.at).count();
  const double span = Nanos(after->at - before.at).count();
  return static_cast<double>(before.ticks) +
         static_cast<double>(after->ticks - before.ticks) * into / span;
}

std::optional<double> CpuSeries::second(std::size_t k) const {
  const auto from = ticks_at(boundary(k));
  const auto to = ticks_at(boundary(k + 1));
  // Less at the end than at the start: the process id names another process.
  if (!from || !to || *to < *from) return std::nullopt;
  return (*to - *from) * tick_seconds();
}

std::vector<double> CpuSeries::seconds() const {
  std::vector<double> out;
  for (std::size_t k = 0; !readings_.empty() && boundary(k + 1) <= readings_.back().at; ++k) {
    out.push_back(second(k).value_or(std::numeric_limits<double>::quiet_NaN()));
  }
  return out;
}

}  // namespace corobench
