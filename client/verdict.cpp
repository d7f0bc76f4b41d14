#include "client/verdict.hpp"

#include <cstdio>

namespace corobench {

std::string_view to_string(Limit l) noexcept {
  switch (l) {
    case Limit::generator:
      return "generator";
    case Limit::server:
      return "server";
    case Limit::both:
      return "both";
    case Limit::none:
      return "none";
  }
  return "unknown";
}

namespace {

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f%%", 100.0 * share);
  return text;
}

std::string cores(double c) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", c);
  return text;
}

bool behind(const VerdictInput& in) {
  if (!in.open_loop) return false;
  const auto due = static_cast<double>(in.sent + in.dropped_sends);
  const bool late =
      in.sent > 0 && static_cast<double>(in.late_sends) > kBehind * static_cast<double>(in.sent);
  return late || static_cast<double>(in.dropped_sends) > kBehind * due;
}

// A thread that ran, or was ready to run, nearly all the time could not have
// done more, whether it had its core to itself or shared it.
bool thread_saturated(const CpuUse& u) {
  return u.busiest_thread >= kSaturated || u.busiest_runnable >= kSaturated;
}

bool server_saturated(const CpuUse& s, unsigned cpus) {
  return thread_saturated(s) || s.cores >= kSaturated * cpus;
}

// Ready to run far more than it ran: the thread waited for a core (others
// held them, or a CPU quota throttled it).
bool starved(const CpuUse& u) {
  return u.busiest_thread < kSaturated;
}

// How a saturated process reached its limit, in words.
std::string how_saturated(const CpuUse& u, unsigned cpus) {
  if (u.busiest_thread >= kSaturated) return "its busiest thread kept a core busy";
  if (u.cores >= kSaturated * cpus) return "its threads kept the machine's cores busy";
  return "its busiest thread was ready to run " + percent(u.busiest_runnable) +
         " of the time but ran " + percent(u.busiest_thread) +
         ": it waited for a core (other busy threads or processes, or a CPU quota)";
}

std::string thread_words(const CpuUse& u) {
  return cores(u.cores) + " cores, its busiest thread " + percent(u.busiest_thread) +
         " of a core (runnable " + percent(u.busiest_runnable) + " of the time)";
}

// The generator's figures, and why it counts as saturated when it does.
std::string generator_words(const VerdictInput& in) {
  std::string s = "corobench used " + thread_words(in.generator);
  if (in.open_loop) {
    s += "; " + std::to_string(in.late_sends) + " of " + std::to_string(in.sent) +
         " sends left more than 1 ms late, " + std::to_string(in.dropped_sends) +
         " due were never sent";
  }
  return s;
}

std::string server_words(const VerdictInput& in) {
  if (!in.server) return "the server's CPU was not measured (--server-pid)";
  return "the server used " + thread_words(*in.server);
}

// A saturated thread needs company; a schedule missed with CPU to spare
// means connections waited for earlier answers.
std::string generator_advice(const VerdictInput& in) {
  if (thread_saturated(in.generator) && starved(in.generator)) {
    return "the generator: " + how_saturated(in.generator, in.cpus) +
           "; more threads would not help, a core of its own would";
  }
  if (thread_saturated(in.generator)) {
    return "the generator: a thread saturated its core; add threads (-t) or use --pipeline";
  }
  return "the generator: the open-loop schedule fell behind while connections waited for "
         "earlier answers; add connections (-c)";
}

}  // namespace

Verdict judge(const VerdictInput& in) {
  const bool gen = thread_saturated(in.generator) || behind(in);
  const bool srv = in.server && server_saturated(*in.server, in.cpus);
  // A saturated generator beside a server that had the rest of the machine:
  // neither could have gone faster.
  const bool full = in.server && in.generator.cores + in.server->cores >= kSaturated * in.cpus;
  const std::string figures = generator_words(in) + "; " + server_words(in);
  if (gen && full) {
    return {Limit::both, "both: together they kept the machine's " + std::to_string(in.cpus) +
                             " cores busy (" + figures + ")"};
  }
  if (gen && srv) {
    const std::string gen_how = thread_saturated(in.generator)
                                    ? how_saturated(in.generator, in.cpus)
                                    : "it fell behind its schedule";
    return {Limit::both, "both: corobench, as " + gen_how + "; the server, as " +
                             how_saturated(*in.server, in.cpus) + " (" + figures + ")"};
  }
  if (gen) return {Limit::generator, generator_advice(in) + " (" + figures + ")"};
  if (srv) {
    return {Limit::server,
            "the server: " + how_saturated(*in.server, in.cpus) + " (" + figures + ")"};
  }
  if (in.open_loop) {
    return {Limit::none, "nothing: the offered rate was sent on schedule (" + figures + ")"};
  }
  return {Limit::server,
          "the server: corobench had CPU to spare, so the server's response time "
          "set the pace (" +
              figures + ")"};
}

}  // namespace corobench
