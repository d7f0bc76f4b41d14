#pragma once
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/thread_context.hpp"

namespace corobench {

// The threads of one run, each with its own io_context and its share of the
// connections (one coroutine each), and what each hands back when done.
class LoadThreads {
 public:
  // Starts plan.threads threads; the connections are spread evenly, the
  // first threads taking the remainder.
  LoadThreads(const LoadPlan& plan, RunControl& ctl, const ConnectTarget& to);
  ~LoadThreads();
  LoadThreads(const LoadThreads&) = delete;
  LoadThreads& operator=(const LoadThreads&) = delete;

  bool all_finished() const noexcept { return finished_.load() == threads_.size(); }
  // Responses and errors so far, over all threads, for the progress line.
  std::uint64_t responses() const noexcept;
  std::uint64_t errors() const noexcept;

  // Waits for every thread, then merges what each measured; throws RunError
  // if one failed.
  ThreadStats join(std::size_t per_line);
  // The threads' second-by-second series, merged; after join().
  TimeSeries series() const;

 private:
  void run_thread(unsigned t, unsigned first, unsigned count);

  const LoadPlan& plan_;
  RunControl& ctl_;
  const ConnectTarget& to_;
  std::vector<LiveCounters> live_;
  std::vector<std::optional<ThreadStats>> results_;
  std::vector<TimeSeries> series_;
  std::vector<std::string> fatal_;
  std::atomic<std::size_t> finished_{0};
  std::vector<std::thread> threads_;
};

}  // namespace corobench
