#pragma once
// One request's parts as the worker pool holds them: the workers run the
// parts and the last one to finish posts the gathered results back to the
// loop, where the coroutine resumes (or, when it was cancelled first, its
// result is dropped). worker_pool.hpp is the interface; this is the
// machinery behind its run_all().
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/system/system_error.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace coroserve {

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

}  // namespace coroserve
