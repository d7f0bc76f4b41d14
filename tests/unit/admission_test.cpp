// The admission controller on a fake clock: every call takes "now", so the
// tests say what happens at which millisecond without waiting for any.
#include "server/admission.hpp"

#include <gtest/gtest.h>

namespace coroserve {
namespace {

using namespace std::chrono_literals;
using Clock = AdmissionController::Clock;

const Clock::time_point t0{};

Clock::time_point at(std::chrono::milliseconds ms) {
  return t0 + ms;
}

// 5 ms target, 100 ms interval, 2 workers, parts of 4 ms: 2 parts ahead
// drain in 4 ms (within the target), 3 in 6 ms (past it).
AdmissionController controller() {
  AdmissionController c({5ms, 100ms, 2});
  c.on_service(4ms);
  return c;
}

bool admit(AdmissionController& c, std::chrono::milliseconds when, std::size_t ahead,
           std::size_t queued = 10) {
  return c.admit(at(when), queued, [ahead] { return ahead; });
}

// Dequeues every 10 ms from `from` to `to` (inclusive), each after `sojourn`.
void dequeues(AdmissionController& c, int from, int to, std::chrono::milliseconds sojourn,
              std::size_t left = 5) {
  for (int ms = from; ms <= to; ms += 10)
    c.on_dequeue(at(std::chrono::milliseconds(ms)), sojourn, left);
}

TEST(Admission, AdmitsEverythingWhileTheQueueStaysBelowTarget) {
  auto c = controller();
  dequeues(c, 0, 500, 3ms);
  EXPECT_FALSE(c.shedding(at(500ms)));
  EXPECT_TRUE(admit(c, 500ms, 1000));
  EXPECT_EQ(c.refused(), 0u);
}

TEST(Admission, ABurstShorterThanTheIntervalIsNotOverload) {
  auto c = controller();
  dequeues(c, 0, 90, 40ms);        // above target for 90 ms
  c.on_dequeue(at(95ms), 2ms, 5);  // then the queue comes down
  dequeues(c, 100, 190, 40ms);     // and stands again, for less than an interval
  EXPECT_FALSE(c.shedding(at(190ms)));
  EXPECT_TRUE(admit(c, 195ms, 1000));
}

TEST(Admission, AQueueThatEmptiesIsNotStanding) {
  auto c = controller();
  dequeues(c, 0, 500, 40ms, /*left=*/0);  // each part waited, but none was left behind
  EXPECT_FALSE(c.shedding(at(500ms)));
  EXPECT_TRUE(admit(c, 500ms, 1000));
}

TEST(Admission, RefusesAtOnceOnceTheQueueStoodAboveTargetForAnInterval) {
  auto c = controller();
  dequeues(c, 0, 90, 40ms);
  EXPECT_FALSE(c.shedding(at(90ms)));
  c.on_dequeue(at(100ms), 40ms, 5);
  EXPECT_TRUE(c.shedding(at(100ms)));
  EXPECT_FALSE(admit(c, 101ms, 3));  // 3 parts ahead: 6 ms > 5 ms
  EXPECT_EQ(c.refused(), 1u);
  // Work that would start within the target still gets in: the workers stay fed.
  EXPECT_TRUE(admit(c, 102ms, 2));
  EXPECT_TRUE(admit(c, 103ms, 0));
  EXPECT_EQ(c.refused(), 1u);
}

TEST(Admission, WhenPartsRunLongerThanTheTargetThoseNextInLineStillGetIn) {
  AdmissionController c({5ms, 100ms, 2});
  c.on_service(12ms);  // one part's run is past the target on its own
  dequeues(c, 0, 100, 40ms);
  ASSERT_TRUE(c.shedding(at(100ms)));
  EXPECT_TRUE(admit(c, 101ms, 0));
  EXPECT_TRUE(admit(c, 102ms, 2));   // starts within one part's run: 12 ms
  EXPECT_FALSE(admit(c, 103ms, 3));  // 18 ms
  EXPECT_EQ(c.refused(), 1u);
}

// A part is overdue once it has waited past what admission promises: the
// target, or one part's run when that is longer.
TEST(Admission, APartIsOverdueOnceItWaitedPastThePromise) {
  auto c = controller();  // parts of 4 ms: the 5 ms target is the promise
  EXPECT_EQ(c.promised_wait(), 5ms);
  EXPECT_FALSE(c.overdue(5ms));
  EXPECT_TRUE(c.overdue(6ms));
  c.on_service(100ms);  // the average moves an eighth of the way: 16 ms
  EXPECT_EQ(c.promised_wait(), 16ms);
  EXPECT_FALSE(c.overdue(15ms));
  EXPECT_TRUE(c.overdue(17ms));
}

TEST(Admission, RecoversAnIntervalAfterTheLastRefusalWhenLoadDrops) {
  auto c = controller();
  dequeues(c, 0, 100, 40ms);
  EXPECT_FALSE(admit(c, 110ms, 50));
  dequeues(c, 120, 210, 1ms);           // the backlog is gone, load is light
  EXPECT_TRUE(c.shedding(at(200ms)));   // within an interval of the refusal
  EXPECT_FALSE(c.shedding(at(210ms)));  // an interval without refusal or standing queue
  EXPECT_TRUE(admit(c, 210ms, 50));
}

TEST(Admission, KeepsSheddingWhileArrivalsKeepBeingRefused) {
  auto c = controller();
  dequeues(c, 0, 100, 40ms);
  for (int ms = 110; ms <= 1000; ms += 50) {
    c.on_dequeue(at(std::chrono::milliseconds(ms - 5)), 2ms, 1);  // short queue, below target
    EXPECT_FALSE(admit(c, std::chrono::milliseconds(ms), 10)) << "at " << ms << " ms";
  }
  EXPECT_TRUE(c.shedding(at(1000ms)));
}

TEST(Admission, KeepsSheddingWhileTheQueueKeepsStandingWithoutArrivals) {
  auto c = controller();
  dequeues(c, 0, 600, 40ms);
  EXPECT_TRUE(c.shedding(at(600ms)));
}

TEST(Admission, NoticesWorkersStuckOnLongPartsWithoutADequeue) {
  AdmissionController c({5ms, 100ms, 1});
  c.on_service(500ms);
  c.on_dequeue(at(0ms), 0ms, 3);        // three parts left behind; the worker is busy for long
  EXPECT_TRUE(admit(c, 50ms, 3, 3));    // waiting since 0 ms, above target since 5 ms
  EXPECT_FALSE(admit(c, 106ms, 4, 4));  // standing for an interval: 4 x 500 ms is past 5 ms
  EXPECT_TRUE(c.shedding(at(106ms)));
}

TEST(Admission, NoticesAQueueThatFormedBehindBusyWorkers) {
  AdmissionController c({5ms, 100ms, 1});
  c.on_service(500ms);
  EXPECT_TRUE(admit(c, 0ms, 0, /*queued=*/0));  // the first part to wait
  EXPECT_TRUE(admit(c, 50ms, 1, 1));
  EXPECT_FALSE(admit(c, 106ms, 2, 2));  // its head has waited past the target for an interval
}

TEST(Admission, AnEmptyQueueClearsTheStanding) {
  auto c = controller();
  dequeues(c, 0, 90, 40ms);
  EXPECT_TRUE(admit(c, 95ms, 0, /*queued=*/0));  // the loop sees it empty
  dequeues(c, 100, 180, 40ms);                   // standing again, for 80 ms only
  EXPECT_FALSE(c.shedding(at(180ms)));
}

TEST(Admission, DrainTimeAndRetryAfterFollowTheServiceTime) {
  AdmissionController c({5ms, 100ms, 2});
  EXPECT_EQ(c.drain_time(100).count(), 0);  // no part has run yet
  EXPECT_EQ(c.retry_after_s(100), 1u);
  c.on_service(8ms);
  c.on_service(16ms);  // moving average: 8 + (16 - 8) / 8 = 9 ms
  EXPECT_EQ(c.service_time(), 9ms);
  EXPECT_EQ(c.drain_time(100), 450ms);  // 100 parts x 9 ms over 2 workers
  EXPECT_EQ(c.retry_after_s(100), 1u);
  EXPECT_EQ(c.retry_after_s(1000), 5u);     // 4.5 s, rounded up
  EXPECT_EQ(c.retry_after_s(100000), 60u);  // capped
}

}  // namespace
}  // namespace coroserve
