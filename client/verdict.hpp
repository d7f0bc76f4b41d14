#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "client/cpu_sample.hpp"

namespace corobench {

// What the run measured about its own limits: corobench's CPU, the server's
// when its pid was given, and in an open loop whether the schedule was kept.
struct VerdictInput {
  CpuUse generator;
  std::optional<CpuUse> server;  // --server-pid
  unsigned cpus = 1;             // cores of this machine
  bool open_loop = false;
  std::uint64_t sent = 0;           // requests sent in the measured period
  std::uint64_t late_sends = 0;     // open loop: sent more than 1 ms after due
  std::uint64_t dropped_sends = 0;  // open loop: due before the end, never sent
};

enum class Limit : std::uint8_t {
  generator,  // corobench could not send faster
  server,     // the server (its CPU, or its response time) set the pace
  both,       // both saturated, or together they filled the machine
  none,       // open loop, on schedule: the offered rate was the limit
};
std::string_view to_string(Limit l) noexcept;

struct Verdict {
  Limit limit = Limit::none;
  std::string why;  // in words, with the figures that decided
};

// A thread at or past this share of a core, or runnable (running or waiting
// for a core) this share of the time, is saturated.
inline constexpr double kSaturated = 0.9;
// An open loop whose late sends pass this share of all sends, or whose
// dropped sends pass it of all sends due, fell behind.
inline constexpr double kBehind = 0.01;

// Which of corobench and the server limited the run: a pure function of the
// samples.
Verdict judge(const VerdictInput& in);

}  // namespace corobench
