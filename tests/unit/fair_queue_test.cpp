// The pool's queue on its own: turns between clients, order within one, the
// bounded table of clients.
#include "server/fair_queue.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coroserve {
namespace {

using Queue = FairQueue<std::string>;

std::vector<std::string> drain(Queue& q, bool newest_first = false) {
  std::vector<std::string> out;
  while (!q.empty()) out.push_back(q.pop(newest_first));
  return out;
}

using Order = std::vector<std::string>;

TEST(FairQueue, OneClientIsServedOldestFirst) {
  Queue q(8);
  for (const char* item : {"a1", "a2", "a3"}) q.push("a", item);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(drain(q), (Order{"a1", "a2", "a3"}));
}

TEST(FairQueue, ClientsTakeTurnsOnePartATurn) {
  Queue q(8);
  for (const char* item : {"a1", "a2", "a3", "a4"}) q.push("a", item);
  q.push("b", "b1");
  q.push("c", "c1");
  q.push("b", "b2");
  EXPECT_EQ(q.clients(), 3u);
  EXPECT_EQ(drain(q), (Order{"a1", "b1", "c1", "a2", "b2", "a3", "a4"}));
}

// A request cut into four parts is four turns, not one.
TEST(FairQueue, ARequestInManyPartsIsAsManyTurns) {
  Queue q(8);
  for (const char* part : {"split-1", "split-2", "split-3", "split-4"}) q.push("big", part);
  q.push("small", "s1");
  q.push("small", "s2");
  EXPECT_EQ(drain(q), (Order{"split-1", "s1", "split-2", "s2", "split-3", "split-4"}));
}

TEST(FairQueue, AClientThatArrivesLaterJoinsTheTurnsAtTheBack) {
  Queue q(8);
  q.push("a", "a1");
  q.push("a", "a2");
  q.push("b", "b1");
  EXPECT_EQ(q.pop(false), "a1");
  q.push("c", "c1");  // behind b, and behind a, which still has a2
  EXPECT_EQ(drain(q), (Order{"b1", "a2", "c1"}));
}

TEST(FairQueue, NewestFirstWithinAClientWhileShedding) {
  Queue q(8);
  for (const char* item : {"a1", "a2", "a3"}) q.push("a", item);
  q.push("b", "b1");
  EXPECT_EQ(drain(q, /*newest_first=*/true), (Order{"a3", "b1", "a2", "a1"}));
}

// Newest first passes over the older parts; one that is overdue runs in
// its client's next turn instead, however many newer parts wait.
TEST(FairQueue, NewestFirstStopsAtAnOverduePart) {
  Queue q(8);
  for (const char* item : {"a1", "a2", "a3"}) q.push("a", item);
  q.push("b", "b1");
  const auto overdue = [](const std::string& item) { return item == "a1"; };
  EXPECT_EQ(q.pop(true, overdue), "a1");
  EXPECT_EQ(q.pop(true, overdue), "b1");
  EXPECT_EQ(q.pop(true, overdue), "a3");
  q.push("a", "a4");
  EXPECT_EQ(q.pop(true, overdue), "a4");
  EXPECT_EQ(q.pop(true, overdue), "a2");
  EXPECT_TRUE(q.empty());
}

TEST(FairQueue, PastTheTableBoundNewClientsShareOneTurn) {
  Queue q(2);
  q.push("a", "a1");
  q.push("b", "b1");
  q.push("c", "c1");  // the table is full: c and d share a bucket
  q.push("d", "d1");
  q.push("a", "a2");
  EXPECT_EQ(q.clients(), 3u);
  EXPECT_EQ(q.queued("c"), 2u);
  EXPECT_EQ(q.queued("d"), 2u);
  EXPECT_EQ(q.queued("a"), 2u);
  EXPECT_EQ(drain(q), (Order{"a1", "b1", "c1", "a2", "d1"}));
}

TEST(FairQueue, AClientLeavesTheTableWhenNothingOfItWaits) {
  Queue q(1);
  q.push("a", "a1");
  EXPECT_EQ(q.pop(false), "a1");
  EXPECT_EQ(q.clients(), 0u);
  q.push("b", "b1");  // a is gone, so b has the one own place
  q.push("c", "c1");  // and c shares
  EXPECT_EQ(q.queued("b"), 1u);
  EXPECT_EQ(q.queued("c"), 1u);
  EXPECT_EQ(q.queued("a"), 1u);  // a new part of a would share with c
  EXPECT_EQ(drain(q), (Order{"b1", "c1"}));
}

TEST(FairQueue, PartsAheadCountTheClientsTurns) {
  Queue q(8);
  for (int i = 0; i < 3; ++i) q.push("a", "a");
  q.push("b", "b");
  // A new client waits one turn of each client with work: a's and b's.
  EXPECT_EQ(q.ahead_of("new"), 2u);
  // b's next part: its own one, then a gets two turns meanwhile.
  EXPECT_EQ(q.ahead_of("b"), 3u);
  // a's next part: its three, and b's one.
  EXPECT_EQ(q.ahead_of("a"), 4u);
  EXPECT_EQ(q.queued("new"), 0u);
}

TEST(FairQueue, TakeAllEmptiesIt) {
  Queue q(8);
  q.push("a", "a1");
  q.push("b", "b1");
  q.push("a", "a2");
  EXPECT_EQ(q.take_all(), (Order{"a1", "b1", "a2"}));
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.clients(), 0u);
}

}  // namespace
}  // namespace coroserve
