#include "server/connection_arena.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <set>

namespace coroserve {
namespace {

// What these tests check does not exist when the arena hands every request
// to the heap.
#define SKIP_UNDER_ASAN()                                                         \
  do {                                                                            \
    if (ConnectionArena::kHeapOnly) {                                             \
      GTEST_SKIP() << "AddressSanitizer build: the arena uses the heap directly"; \
    }                                                                             \
  } while (false)

TEST(ConnectionArena, SlotsOfOneSizeArePackedAndAligned) {
  SKIP_UNDER_ASAN();
  ConnectionArena arena;
  auto* a = static_cast<std::byte*>(arena.allocate(200));
  auto* b = static_cast<std::byte*>(arena.allocate(200));
  EXPECT_EQ(b - a, 208);  // rounded up to 16 bytes, no header
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a) % 16, 0u);
  EXPECT_EQ(arena.reserved_bytes(), 64u * 1024);
  arena.deallocate(a, 200);
  arena.deallocate(b, 200);
}

TEST(ConnectionArena, AFreedSlotIsReusedBySameSizeClassOnly) {
  SKIP_UNDER_ASAN();
  ConnectionArena arena;
  void* a = arena.allocate(232);
  arena.deallocate(a, 232);
  void* other = arena.allocate(100);
  EXPECT_NE(other, a);
  EXPECT_EQ(arena.allocate(240), a);  // 232 and 240 share a class
}

TEST(ConnectionArena, GrowsByBlocksAndSendsLargeRequestsToTheHeap) {
  SKIP_UNDER_ASAN();
  ConnectionArena arena;
  std::set<void*> slots;
  for (int i = 0; i < 1000; ++i) slots.insert(arena.allocate(224));
  EXPECT_EQ(slots.size(), 1000u);
  EXPECT_EQ(arena.reserved_bytes(), 4u * 64 * 1024);  // 292 slots a block
  void* big = arena.allocate(4096);
  arena.deallocate(big, 4096);
  EXPECT_EQ(arena.reserved_bytes(), 4u * 64 * 1024);
  for (void* p : slots) arena.deallocate(p, 224);
}

TEST(ConnectionArena, ServesAllocateShared) {
  SKIP_UNDER_ASAN();
  ConnectionArena arena;
  {
    auto p = std::allocate_shared<std::uint64_t>(ArenaAllocator<std::uint64_t>(arena), 42u);
    EXPECT_EQ(*p, 42u);
    EXPECT_EQ(arena.reserved_bytes(), 64u * 1024);
  }
  EXPECT_EQ(arena.reserved_bytes(), 64u * 1024);  // kept for the next one
}

}  // namespace
}  // namespace coroserve
