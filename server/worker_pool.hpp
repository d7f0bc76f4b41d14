#pragma once
// The parallel half of the split: N worker threads that run CPU-heavy
// functions, so that the event loop never does.
//
//   auto r = co_await pool.run_all(parts, cancel_slot, deadline, Lane::cpu, {client});
//
// hands each part to a worker and resumes the coroutine on the loop when all
// of them are done (scatter/gather). The rules it keeps:
//  - admission is decided at once, on the loop, before anything is queued:
//    past `max_queue` waiting parts, past the client's own cap, or while the
//    queue stands above its target wait (admission.hpp), the call throws
//    Overloaded without touching the workers; a later step of a request
//    already admitted is never refused;
//  - clients take turns in the queue (fair_queue.hpp);
//  - parts run on copied-in values only; results travel back by value;
//  - when the cancel slot fires (the client went away, or a deadline passed)
//    the coroutine resumes at once with a boost::system::system_error
//    (operation_aborted), parts not yet
//    started are skipped and results of running ones are dropped;
//  - the first exception thrown by a part is rethrown in the coroutine.
// Completion is an async_initiate operation of our own rather than co_spawn
// onto a thread_pool: Asio 1.81's co_spawn cancellation has known crashes.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/admission.hpp"
#include "server/fair_queue.hpp"
#include "server/overloaded.hpp"
#include "server/pool_batch.hpp"
#include "server/worker_sched.hpp"

namespace coroserve {

// Thrown by run_all when a queue's bound would be passed: answer 503.
class QueueFull : public Overloaded {
 public:
  explicit QueueFull(const std::string& detail, unsigned retry_after_s = 1)
      : Overloaded(ShedReason::queue_full, detail, retry_after_s) {}
};

// The pool's two queues. Workers take urgent work first: it is short and
// something waits on it that must not wait behind CPU requests (a TLS
// handshake step, which a new connection waits on). Each has its own bound;
// admission by time in queue and the clients' turns apply to Lane::cpu only.
enum class Lane { cpu, urgent };

// Who CPU work is for, as admission and the clients' turns see it. Trivially
// destructible on purpose: GCC 12 mishandles a std::string member of a
// coroutine's by-value argument, so the caller owns the key and keeps it alive
// until run_all completes.
struct Admission {
  std::string_view client;  // the client key (client_key.hpp); all "" are one client
  bool later_step = false;  // a later step of a request admitted before: never refused
};

// Counters, readable from any thread.
struct PoolStats {
  unsigned threads = 0;
  std::uint64_t queued = 0;         // CPU tasks waiting now
  std::uint64_t urgent_queued = 0;  // urgent tasks waiting now
  std::uint64_t urgent_rejected = 0;
  std::uint64_t busy = 0;  // workers running a task now
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::uint64_t rejected = 0;
  std::uint64_t skipped = 0;
  bool shedding = false;         // admission refuses work that would wait past the target
  std::uint64_t clients = 0;     // clients with CPU parts waiting
  std::uint64_t service_us = 0;  // mean wall time of a part (moving average)
};

class WorkerPool {
 public:
  struct Options {
    unsigned threads = 1;
    std::size_t max_queue = 1024;
    int nice = 0;                  // applied to each worker thread (other and batch)
    std::size_t max_urgent = 256;  // urgent tasks waiting; past it QueueFull
    WorkerSched sched = WorkerSched::other;
    std::chrono::nanoseconds queue_target = std::chrono::milliseconds(5);
    std::chrono::nanoseconds queue_interval = std::chrono::milliseconds(100);
    std::size_t max_tracked_clients = 1024;
    std::size_t max_queued_per_client = 256;  // parts; past it Overloaded (client_cap: 429)
  };

  WorkerPool(boost::asio::any_io_executor loop, Options options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Finishes the parts being computed, cancels the queued ones (their
  // coroutines get operation_aborted) and joins the threads. Idempotent.
  void stop();

  PoolStats stats() const;
  unsigned threads() const { return static_cast<unsigned>(threads_.size()); }
  std::size_t max_queue() const { return options_.max_queue; }
  // The most parts of one request that can be queued at once: a request
  // with more would be refused however idle the pool is.
  std::size_t max_parts_per_request() const {
    return std::min(options_.max_queue, options_.max_queued_per_client);
  }
  std::size_t max_queued_per_client() const { return options_.max_queued_per_client; }

  // `deadline`: a part still queued when it passes is skipped by the worker
  // that dequeues it, even if the loop is too busy to cancel in time.
  template <class R>
  boost::asio::awaitable<Gathered<R>> run_all(
      std::vector<std::function<R()>> parts, boost::asio::cancellation_slot cancel = {},
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max(),
      Lane lane = Lane::cpu, Admission admission = {});

  template <class F>
  auto run(F fn, boost::asio::cancellation_slot cancel = {}, Lane lane = Lane::cpu)
      -> boost::asio::awaitable<Gathered<std::invoke_result_t<F&>>> {
    using R = std::invoke_result_t<F&>;
    std::vector<std::function<R()>> parts;
    parts.emplace_back(std::move(fn));
    co_return co_await run_all<R>(std::move(parts), cancel,
                                  std::chrono::steady_clock::time_point::max(), lane);
  }

 private:
  struct Task {
    std::shared_ptr<detail::BatchBase> batch;
    std::size_t index;
    Lane lane;
  };

  void admit(std::size_t parts, Lane lane, const Admission& admission);  // throws Overloaded
  void admit_urgent(std::size_t parts);
  void admit_cpu(std::size_t parts, std::string_view client);  // under mutex_
  void enqueue(const std::shared_ptr<detail::BatchBase>& batch, std::size_t parts, Lane lane,
               std::string_view client);
  std::atomic<std::uint64_t>& waiting(Lane lane) {
    return lane == Lane::urgent ? urgent_queued_ : queued_;
  }
  void abandon(std::vector<Task>& tasks);
  void worker_main();
  bool next_task(Task& task, std::chrono::nanoseconds ran);
  std::chrono::nanoseconds run_task(Task& task);

  boost::asio::any_io_executor loop_;
  Options options_;
  std::vector<std::thread> threads_;

  mutable std::mutex mutex_;
  // One token for each part queued, and one for each worker when the pool
  // stops. A semaphore, not a condition variable: glibc's notify can wait
  // for woken waiters to run, and the loop, which queues the work, would
  // stall while nice-10 workers wait for a core.
  std::counting_semaphore<> ready_{0};
  FairQueue<Task> queue_;          // Lane::cpu, clients in turn
  std::deque<Task> urgent_;        // Lane::urgent, taken first
  AdmissionController admission_;  // Lane::cpu, under mutex_
  bool stopping_ = false;

  std::atomic<std::uint64_t> queued_{0}, busy_{0}, done_{0}, failed_{0}, rejected_{0}, skipped_{0};
  std::atomic<std::uint64_t> urgent_queued_{0}, urgent_rejected_{0};
};

template <class R>
boost::asio::awaitable<Gathered<R>> WorkerPool::run_all(
    std::vector<std::function<R()>> parts, boost::asio::cancellation_slot cancel,
    std::chrono::steady_clock::time_point deadline, Lane lane, Admission admission) {
  if (parts.empty()) co_return Gathered<R>{};
  admit(parts.size(), lane, admission);
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                 void(std::exception_ptr, Gathered<R>)>(
      // Captures only what is trivially destructible (GCC 12 may destroy this
      // lambda twice); the initiation runs before run_all's frame moves on.
      [this, cancel, deadline, lane, client = admission.client](
          auto handler, std::vector<std::function<R()>> ps) mutable {
        using H = decltype(handler);
        const std::size_t n = ps.size();
        auto batch =
            std::make_shared<detail::Batch<R, H>>(std::move(ps), std::move(handler), loop_);
        batch->deadline = deadline;
        batch->attach_cancellation(cancel);
        enqueue(batch, n, lane, client);
      },
      boost::asio::use_awaitable, std::move(parts));
}

}  // namespace coroserve
