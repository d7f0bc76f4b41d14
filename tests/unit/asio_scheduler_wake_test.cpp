// The build's edit of Asio's scheduler (cmake/PatchAsioWakeOutsideLock.cmake):
// when another thread posts work while the loop thread is blocked in the
// reactor, the reactor is woken after the scheduler's lock is released, so
// the woken loop thread never has to wait for that lock. A real scheduler
// (an Asio detail class: the edit is in it) runs on a loop thread; a
// stand-in takes the reactor's place, and its wake checks from a third
// thread whether the scheduler's lock can be taken at that moment.
#include <gtest/gtest.h>

#include <boost/asio/detail/scheduler.hpp>
#include <boost/asio/detail/scheduler_operation.hpp>
#include <boost/asio/detail/scheduler_task.hpp>
#include <boost/asio/execution_context.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace {

namespace asio = boost::asio;
using asio::detail::op_queue;
using asio::detail::scheduler;
using asio::detail::scheduler_operation;
using namespace std::chrono_literals;

// Blocks in run() as epoll_wait(-1) would, until woken.
class StandInReactor : public asio::detail::scheduler_task {
 public:
  void run(long usec, op_queue<scheduler_operation>&) override {
    std::unique_lock lock(mutex_);
    blocked_ = usec != 0;
    changed_.notify_all();
    if (usec == 0) return;
    changed_.wait(lock, [this] { return woken_; });
    woken_ = false;
    blocked_ = false;
  }

  // The first wake asks another thread to take the scheduler's lock
  // (stopped() takes it) and waits, bounded, for it to get it.
  void interrupt() override {
    if (scheduler_ != nullptr && !probed_.exchange(true)) {
      std::packaged_task<bool()> take_lock([this] { return scheduler_->stopped(); });
      auto took = take_lock.get_future();
      probe_ = std::thread(std::move(take_lock));
      lock_was_free_ = took.wait_for(10s) == std::future_status::ready;
    }
    std::lock_guard lock(mutex_);
    woken_ = true;
    changed_.notify_all();
  }

  bool wait_until_blocked() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [this] { return blocked_; });
  }

  void watch(scheduler& s) { scheduler_ = &s; }
  bool lock_was_free() const { return lock_was_free_; }
  void join_probe() {
    if (probe_.joinable()) probe_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool blocked_ = false;
  bool woken_ = false;
  scheduler* scheduler_ = nullptr;
  std::atomic<bool> probed_{false};
  bool lock_was_free_ = false;
  std::thread probe_;
};

StandInReactor* stand_in = nullptr;

asio::detail::scheduler_task* get_stand_in(asio::execution_context&) {
  return stand_in;
}

// Work posted to the scheduler: notes that it ran.
class NoteOp : public scheduler_operation {
 public:
  NoteOp() : scheduler_operation(&NoteOp::do_complete) {}
  std::atomic<bool> ran{false};

 private:
  static void do_complete(void* owner, scheduler_operation* base, const boost::system::error_code&,
                          std::size_t) {
    if (owner != nullptr) static_cast<NoteOp*>(base)->ran = true;
  }
};

TEST(AsioSchedulerWake, AnotherThreadsPostWakesTheLoopWithTheLockReleased) {
  asio::execution_context context;
  StandInReactor reactor;
  stand_in = &reactor;
  // As the server's io_context is made: one thread, no lock per socket.
  scheduler sched(context, BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO, false, &get_stand_in);
  reactor.watch(sched);
  sched.init_task();
  sched.work_started();  // run() goes on until the test ends it
  std::thread loop([&] {
    boost::system::error_code ec;
    sched.run(ec);
  });
  ASSERT_TRUE(reactor.wait_until_blocked()) << "the loop thread never waited in the reactor";

  NoteOp op;
  sched.post_immediate_completion(&op, false);  // from this thread, as a worker posts
  EXPECT_TRUE(reactor.lock_was_free())
      << "the reactor was woken while the scheduler's lock was held: a woken loop thread "
         "would wait for the posting thread to release it";

  sched.work_finished();  // no work left: run() returns
  loop.join();
  reactor.join_probe();
  EXPECT_TRUE(op.ran) << "the posted work never ran";
  sched.shutdown();
  stand_in = nullptr;
}

}  // namespace
