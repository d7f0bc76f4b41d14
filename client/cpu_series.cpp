#include "client/cpu_series.hpp"

#include <cmath>
#include <limits>

#include "client/cpu_sample.hpp"

namespace corobench {

void CpuSeries::record(std::size_t k, std::optional<std::uint64_t> ticks) {
  if (at_.size() <= k) at_.resize(k + 1);
  at_[k] = ticks;
}

void CpuSeries::poll(Clock::time_point now) {
  if (now < next_due()) return;
  const auto k = static_cast<std::size_t>((now - start_) / std::chrono::seconds(1));
  const bool on_time = now - (start_ + std::chrono::seconds(k)) <= kLateRead;
  record(k, on_time ? process_cpu_ticks(pid_) : std::nullopt);
}

std::optional<double> CpuSeries::second(std::size_t k) const {
  if (k + 1 >= at_.size() || !at_[k] || !at_[k + 1] || *at_[k + 1] < *at_[k]) return std::nullopt;
  return static_cast<double>(*at_[k + 1] - *at_[k]) * tick_seconds();
}

std::vector<double> CpuSeries::seconds() const {
  std::vector<double> out;
  for (std::size_t k = 0; k + 1 < at_.size(); ++k) {
    out.push_back(second(k).value_or(std::numeric_limits<double>::quiet_NaN()));
  }
  return out;
}

}  // namespace corobench
