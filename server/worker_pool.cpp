#include "server/worker_pool.hpp"

#include <spdlog/spdlog.h>

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

WorkerPool::WorkerPool(boost::asio::any_io_executor loop, Options options)
    : loop_(std::move(loop)),
      options_(options),
      queue_(options.max_tracked_clients),
      admission_({options.queue_target, options.queue_interval, std::max(1u, options.threads)}) {
  const unsigned n = std::max(1u, options_.threads);
  threads_.reserve(n);
  for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { worker_main(); });
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::stop() {
  std::vector<Task> abandoned;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned = queue_.take_all();
    for (auto& t : urgent_) abandoned.push_back(std::move(t));
    urgent_.clear();
  }
  ready_.release(static_cast<std::ptrdiff_t>(threads_.size()));
  abandon(abandoned);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkerPool::abandon(std::vector<Task>& tasks) {
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
  std::lock_guard lock(mutex_);
  s.shedding = admission_.shedding(detail::Clock::now());
  s.clients = queue_.clients();
  s.service_us = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(admission_.service_time()).count());
  return s;
}

void WorkerPool::admit(std::size_t parts, Lane lane, const Admission& admission) {
  // Only the loop thread admits, so check-then-add cannot race with another
  // producer; workers only ever lower the counts.
  if (lane == Lane::urgent) return admit_urgent(parts);
  if (!admission.later_step) {
    std::lock_guard lock(mutex_);
    admit_cpu(parts, admission.client);
  }
  queued_.fetch_add(parts, std::memory_order_relaxed);
}

void WorkerPool::admit_urgent(std::size_t parts) {
  if (urgent_queued_.load(std::memory_order_relaxed) + parts > options_.max_urgent) {
    urgent_rejected_.fetch_add(1, std::memory_order_relaxed);
    throw QueueFull("the urgent queue is full (" + std::to_string(options_.max_urgent) +
                    " tasks waiting)");
  }
  urgent_queued_.fetch_add(parts, std::memory_order_relaxed);
}

// The hard bound first, then the client's own share, then time in queue.
void WorkerPool::admit_cpu(std::size_t parts, std::string_view client) {
  const std::size_t queued = queued_.load(std::memory_order_relaxed);
  if (queued + parts > options_.max_queue) {
    rejected_.fetch_add(1, std::memory_order_relaxed);
    throw QueueFull("the worker queue is full: " + std::to_string(queued) + " parts wait, " +
                        std::to_string(parts) + " more would pass --queue (" +
                        std::to_string(options_.max_queue) + ")",
                    admission_.retry_after_s(queued));
  }
  const std::size_t mine = queue_.queued(client);
  if (mine + parts > options_.max_queued_per_client) {
    rejected_.fetch_add(1, std::memory_order_relaxed);
    throw Overloaded(ShedReason::client_cap,
                     "this client has " + std::to_string(mine) + " parts waiting; " +
                         std::to_string(parts) + " more would pass --max-queued-per-client (" +
                         std::to_string(options_.max_queued_per_client) + ")",
                     admission_.retry_after_s(mine));
  }
  const auto now = detail::Clock::now();
  if (!admission_.admit(now, queued, [&] { return queue_.ahead_of(client); })) {
    rejected_.fetch_add(1, std::memory_order_relaxed);
    throw Overloaded(ShedReason::queue_time,
                     "the worker queue has stood above its target wait (--queue-target-ms) "
                     "and this client's work would wait longer",
                     admission_.retry_after_s(queued));
  }
}

void WorkerPool::enqueue(const std::shared_ptr<detail::BatchBase>& batch, std::size_t parts,
                         Lane lane, std::string_view client) {
  batch->enqueued = detail::Clock::now();
  bool stopped = false;
  {
    std::lock_guard lock(mutex_);
    stopped = stopping_;
    for (std::size_t i = 0; i < parts && !stopped; ++i) {
      if (lane == Lane::urgent) {
        urgent_.push_back({batch, i, lane});
      } else {
        queue_.push(client, {batch, i, lane});
      }
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
  ready_.release(static_cast<std::ptrdiff_t>(parts));
}

void WorkerPool::worker_main() {
  if (!apply_worker_sched(options_.sched, options_.nice)) {
    spdlog::warn("worker: the kernel refused scheduling policy {} (nice {}); keeping the default",
                 name(options_.sched), options_.nice);
  }
  Task task;
  std::chrono::nanoseconds ran{0};
  while (next_task(task, ran)) ran = run_task(task);
}

// Takes the next task, waiting for one: urgent first, then the CPU queue's
// next client. First reports how long the previous CPU part ran, so that
// admission knows it while this worker waits.
bool WorkerPool::next_task(Task& task, std::chrono::nanoseconds ran) {
  if (ran.count() > 0) {
    std::lock_guard lock(mutex_);
    admission_.on_service(ran);
  }
  ready_.acquire();
  std::lock_guard lock(mutex_);
  if (!urgent_.empty()) {
    task = std::move(urgent_.front());
    urgent_.pop_front();
    return true;
  }
  if (queue_.empty()) return false;  // stopping: every other token has its part
  const auto now = detail::Clock::now();
  // Shedding: each client's newest part first, unless its oldest is overdue.
  task = queue_.pop(admission_.shedding(now), [&](const Task& oldest) {
    return admission_.overdue(now - oldest.batch->enqueued);
  });
  admission_.on_dequeue(now, now - task.batch->enqueued, queue_.size());
  return true;
}

// Runs (or skips) one part; returns how long a CPU part ran, else zero.
std::chrono::nanoseconds WorkerPool::run_task(Task& task) {
  waiting(task.lane).fetch_sub(1, std::memory_order_relaxed);
  std::chrono::nanoseconds ran{0};
  if (task.batch->should_skip()) {
    skipped_.fetch_add(1, std::memory_order_relaxed);
  } else {
    busy_.fetch_add(1, std::memory_order_relaxed);
    const auto start = detail::Clock::now();
    const bool ok = task.batch->run_part(task.index);
    if (task.lane == Lane::cpu) ran = detail::Clock::now() - start;
    busy_.fetch_sub(1, std::memory_order_relaxed);
    (ok ? done_ : failed_).fetch_add(1, std::memory_order_relaxed);
  }
  if (task.batch->part_finished()) task.batch->post_completion();
  task = {};  // drops this task's hold on its batch before waiting for the next
  return ran;
}

}  // namespace coroserve
