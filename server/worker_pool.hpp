#pragma once
// The parallel half of the split: N worker threads that run CPU-heavy
// functions, so that the event loop never does.
//
//   auto r = co_await pool.run_all(parts, cancel_slot);
//
// hands each part to a worker and resumes the coroutine on the loop when all
// of them are done (scatter/gather). The rules it keeps:
//  - admission is bounded: past `max_queue` waiting tasks the call throws
//    QueueFull at once, without touching the workers;
//  - parts run on copied-in values only; results travel back by value;
//  - when the cancel slot fires (the client went away, or a deadline passed)
//    the coroutine resumes at once with a boost::system::system_error
//    (operation_aborted), parts not yet
//    started are skipped and results of running ones are dropped;
//  - the first exception thrown by a part is rethrown in the coroutine.
// Completion is an async_initiate operation of our own rather than co_spawn
// onto a thread_pool: Asio 1.81's co_spawn cancellation has known crashes.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/overloaded.hpp"

namespace coroserve {

// Thrown by run_all when the queue bound would be passed: answer 503.
class QueueFull : public Overloaded {
 public:
  using Overloaded::Overloaded;
};

// What the coroutine gets when its work was cancelled (client gone, deadline
// passed, pool stopped): operation_aborted, and whether any part had begun.
class WorkAbandoned : public boost::system::system_error {
 public:
  explicit WorkAbandoned(bool started)
      : boost::system::system_error(boost::asio::error::operation_aborted), started_(started) {}
  bool started() const { return started_; }

 private:
  bool started_;
};

// Where the time of one offloaded request went.
struct TaskTimings {
  std::chrono::nanoseconds queue_wait{0};  // enqueue to first part starting
  std::chrono::nanoseconds compute{0};     // first part starting to last part ending (wall)
};

template <class R>
struct Gathered {
  std::vector<R> results;  // in the order of the parts
  TaskTimings timings;
};

// The pool's two queues. Workers take urgent work first: it is short and
// something waits on it that must not wait behind CPU requests (a TLS
// handshake step, which a new connection waits on). Each has its own bound.
enum class Lane { cpu, urgent };

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
};

namespace detail {

using Clock = std::chrono::steady_clock;

// One request's set of parts, shared by the queue's tasks and the loop.
class BatchBase : public std::enable_shared_from_this<BatchBase> {
 public:
  explicit BatchBase(std::size_t parts) : remaining_(parts), starts_(parts), ends_(parts) {}
  virtual ~BatchBase() = default;

  // Worker side.
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }
  void cancel_from_pool() { cancelled_.store(true, std::memory_order_release); }
  // Returns false when the part threw (the exception is kept for the loop).
  bool run_part(std::size_t i) noexcept;
  // Returns true for the caller that finished the last outstanding part.
  bool part_finished() { return remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
  virtual void post_completion() = 0;

  Clock::time_point enqueued;
  Clock::time_point deadline = Clock::time_point::max();
  // Worker side: skip this part? (cancelled, or past the deadline unstarted)
  bool should_skip() {
    if (cancelled()) return true;
    if (deadline != Clock::time_point::max() && Clock::now() >= deadline) {
      cancel_from_pool();
      return true;
    }
    return false;
  }

 protected:
  virtual void invoke_part(std::size_t i) = 0;  // may throw
  TaskTimings timings() const;

  bool any_started() const { return started_.load(std::memory_order_acquire); }

  std::atomic<bool> cancelled_{false};
  std::atomic<bool> started_{false};
  std::atomic<bool> failed_{false};
  std::exception_ptr error_;  // written once, by the part that set failed_

 private:
  std::atomic<std::size_t> remaining_;
  std::vector<Clock::time_point> starts_, ends_;  // slot i is written by part i only
};

}  // namespace detail

class WorkerPool {
 public:
  struct Options {
    unsigned threads = 1;
    std::size_t max_queue = 1024;
    int nice = 0;                  // applied to each worker thread (Linux: per-thread nice)
    std::size_t max_urgent = 256;  // urgent tasks waiting; past it QueueFull
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

  // `deadline`: a part still queued when it passes is skipped by the worker
  // that dequeues it, even if the loop is too busy to cancel in time.
  template <class R>
  boost::asio::awaitable<Gathered<R>> run_all(
      std::vector<std::function<R()>> parts, boost::asio::cancellation_slot cancel = {},
      std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max(),
      Lane lane = Lane::cpu);

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

  void admit(std::size_t parts, Lane lane);  // throws QueueFull
  void enqueue(const std::shared_ptr<detail::BatchBase>& batch, std::size_t parts, Lane lane);
  std::atomic<std::uint64_t>& waiting(Lane lane) {
    return lane == Lane::urgent ? urgent_queued_ : queued_;
  }
  void abandon(std::deque<Task>& tasks);
  void worker_main();

  boost::asio::any_io_executor loop_;
  Options options_;
  std::vector<std::thread> threads_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> queue_;   // Lane::cpu
  std::deque<Task> urgent_;  // Lane::urgent, taken first
  bool stopping_ = false;

  std::atomic<std::uint64_t> queued_{0}, busy_{0}, done_{0}, failed_{0}, rejected_{0}, skipped_{0};
  std::atomic<std::uint64_t> urgent_queued_{0}, urgent_rejected_{0};
};

namespace detail {

template <class R, class Handler>
class Batch final : public BatchBase {
 public:
  Batch(std::vector<std::function<R()>> parts, Handler handler, boost::asio::any_io_executor loop)
      : BatchBase(parts.size()),
        parts_(std::move(parts)),
        results_(parts_.size()),
        handler_(std::move(handler)),
        loop_(boost::asio::prefer(boost::asio::get_associated_executor(handler_, loop),
                                  boost::asio::execution::outstanding_work.tracked)) {}

  // Loop side: the cancel slot fired. Answer the coroutine now; the workers
  // see `cancelled_` and skip what has not started.
  void attach_cancellation(boost::asio::cancellation_slot slot) {
    if (!slot.is_connected()) return;
    slot_ = slot;
    std::weak_ptr<BatchBase> weak = shared_from_this();
    slot_.assign([weak](boost::asio::cancellation_type) {
      if (auto self = weak.lock()) static_cast<Batch*>(self.get())->cancel_from_loop();
    });
  }

  void post_completion() override {
    auto self = std::static_pointer_cast<Batch>(shared_from_this());
    boost::asio::post(loop_, [self] { self->deliver(); });
  }

 private:
  void invoke_part(std::size_t i) override { results_[i].emplace(parts_[i]()); }

  void cancel_from_loop() {
    cancelled_.store(true, std::memory_order_release);
    if (delivered_) return;
    delivered_ = true;
    // Resume the coroutine from a fresh handler call, not from inside emit().
    auto self = std::static_pointer_cast<Batch>(shared_from_this());
    boost::asio::post(loop_, [self] { self->complete_aborted(); });
  }

  void complete_aborted() {
    auto h = std::move(*handler_);
    handler_.reset();
    std::move(h)(std::make_exception_ptr(WorkAbandoned(any_started())), Gathered<R>{});
  }

  void deliver() {
    if (delivered_) return;  // cancelled earlier: the result is dropped
    delivered_ = true;
    if (slot_.is_connected()) slot_.clear();
    // A failed part also sets cancelled_ (to skip its siblings): check it first.
    if (failed_.load(std::memory_order_acquire)) {
      auto h = std::move(*handler_);
      handler_.reset();
      std::move(h)(error_, Gathered<R>{});
      return;
    }
    if (cancelled()) return complete_aborted();
    auto h = std::move(*handler_);
    handler_.reset();
    Gathered<R> out;
    out.results.reserve(results_.size());
    for (auto& r : results_) out.results.push_back(std::move(*r));
    out.timings = timings();
    std::move(h)(std::exception_ptr{}, std::move(out));
  }

  std::vector<std::function<R()>> parts_;
  std::vector<std::optional<R>> results_;
  std::optional<Handler> handler_;
  decltype(boost::asio::prefer(std::declval<boost::asio::any_io_executor>(),
                               boost::asio::execution::outstanding_work.tracked)) loop_;
  boost::asio::cancellation_slot slot_;
  bool delivered_ = false;  // loop-only
};

}  // namespace detail

template <class R>
boost::asio::awaitable<Gathered<R>> WorkerPool::run_all(
    std::vector<std::function<R()>> parts, boost::asio::cancellation_slot cancel,
    std::chrono::steady_clock::time_point deadline, Lane lane) {
  if (parts.empty()) co_return Gathered<R>{};
  admit(parts.size(), lane);
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                 void(std::exception_ptr, Gathered<R>)>(
      [this, cancel, deadline, lane](auto handler, std::vector<std::function<R()>> ps) mutable {
        using H = decltype(handler);
        const std::size_t n = ps.size();
        auto batch =
            std::make_shared<detail::Batch<R, H>>(std::move(ps), std::move(handler), loop_);
        batch->deadline = deadline;
        batch->attach_cancellation(cancel);
        enqueue(batch, n, lane);
      },
      boost::asio::use_awaitable, std::move(parts));
}

}  // namespace coroserve
