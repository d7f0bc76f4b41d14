#include "server/worker_pool.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace coroserve {

namespace detail {

bool BatchBase::run_part(std::size_t i) noexcept {
  started_.store(true, std::memory_order_release);
  starts_[i] = Clock::now();
  bool ok = true;
  try {
    invoke_part(i);
  } catch (...) {
    ok = false;
    bool expected = false;
    if (failed_.compare_exchange_strong(expected, true, std::memory_order_acq_rel)) {
      error_ = std::current_exception();
    }
    // The other parts of a failed request would be wasted work.
    cancelled_.store(true, std::memory_order_release);
  }
  ends_[i] = Clock::now();
  return ok;
}

TaskTimings BatchBase::timings() const {
  const auto first = *std::min_element(starts_.begin(), starts_.end());
  const auto last = *std::max_element(ends_.begin(), ends_.end());
  return {first - enqueued, last - first};
}

}  // namespace detail

namespace {

// Linux applies setpriority(PRIO_PROCESS, tid) to one thread only, which is
// what lets the loop thread keep normal priority while the workers yield.
void lower_thread_priority(int nice) {
  if (nice <= 0) return;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  const int current = ::getpriority(PRIO_PROCESS, tid);
  if (current < nice) ::setpriority(PRIO_PROCESS, tid, nice);
}

}  // namespace

WorkerPool::WorkerPool(boost::asio::any_io_executor loop, Options options)
    : loop_(std::move(loop)), options_(options) {
  const unsigned n = std::max(1u, options_.threads);
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { worker_main(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::stop() {
  std::deque<Task> abandoned, abandoned_urgent;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
    abandoned_urgent.swap(urgent_);
  }
  wake_.notify_all();
  abandon(abandoned);
  abandon(abandoned_urgent);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::abandon(std::deque<Task>& tasks) {
  for (auto& t : tasks) {
    waiting(t.lane).fetch_sub(1, std::memory_order_relaxed);
    skipped_.fetch_add(1, std::memory_order_relaxed);
    t.batch->cancel_from_pool();
    if (t.batch->part_finished()) t.batch->post_completion();
  }
}

PoolStats WorkerPool::stats() const {
  PoolStats s;
  s.threads = static_cast<unsigned>(threads_.size());
  s.queued = queued_.load(std::memory_order_relaxed);
  s.busy = busy_.load(std::memory_order_relaxed);
  s.done = done_.load(std::memory_order_relaxed);
  s.failed = failed_.load(std::memory_order_relaxed);
  s.rejected = rejected_.load(std::memory_order_relaxed);
  s.skipped = skipped_.load(std::memory_order_relaxed);
  s.urgent_queued = urgent_queued_.load(std::memory_order_relaxed);
  s.urgent_rejected = urgent_rejected_.load(std::memory_order_relaxed);
  return s;
}

void WorkerPool::admit(std::size_t parts, Lane lane) {
  // Only the loop thread admits, so check-then-add cannot race with another
  // producer; workers only ever lower the count.
  const bool urgent = lane == Lane::urgent;
  const std::size_t bound = urgent ? options_.max_urgent : options_.max_queue;
  if (waiting(lane).load(std::memory_order_relaxed) + parts > bound) {
    (urgent ? urgent_rejected_ : rejected_).fetch_add(1, std::memory_order_relaxed);
    throw QueueFull(std::string(urgent ? "the urgent queue" : "the worker queue") + " is full (" +
                    std::to_string(bound) + " tasks waiting)");
  }
  waiting(lane).fetch_add(parts, std::memory_order_relaxed);
}

void WorkerPool::enqueue(const std::shared_ptr<detail::BatchBase>& batch, std::size_t parts,
                         Lane lane) {
  batch->enqueued = detail::Clock::now();
  bool stopped = false;
  {
    std::lock_guard lock(mutex_);
    stopped = stopping_;
    auto& queue = lane == Lane::urgent ? urgent_ : queue_;
    if (!stopped) {
      for (std::size_t i = 0; i < parts; ++i) queue.push_back({batch, i, lane});
    }
  }
  if (stopped) {
    waiting(lane).fetch_sub(parts, std::memory_order_relaxed);
    skipped_.fetch_add(parts, std::memory_order_relaxed);
    batch->cancel_from_pool();
    for (std::size_t i = 0; i < parts; ++i) {
      if (batch->part_finished()) batch->post_completion();
    }
    return;
  }
  if (parts == 1) {
    wake_.notify_one();
  } else {
    wake_.notify_all();
  }
}

void WorkerPool::worker_main() {
  lower_thread_priority(options_.nice);
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty() || !urgent_.empty(); });
      auto& queue = urgent_.empty() ? queue_ : urgent_;
      if (queue.empty()) return;  // stopping and nothing left
      task = std::move(queue.front());
      queue.pop_front();
    }
    waiting(task.lane).fetch_sub(1, std::memory_order_relaxed);
    if (task.batch->should_skip()) {
      skipped_.fetch_add(1, std::memory_order_relaxed);
    } else {
      busy_.fetch_add(1, std::memory_order_relaxed);
      const bool ok = task.batch->run_part(task.index);
      busy_.fetch_sub(1, std::memory_order_relaxed);
      (ok ? done_ : failed_).fetch_add(1, std::memory_order_relaxed);
    }
    if (task.batch->part_finished()) task.batch->post_completion();
  }
}

}  // namespace coroserve
