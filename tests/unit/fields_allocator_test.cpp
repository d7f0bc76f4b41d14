#include "server/fields_allocator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/address_sanitizer.hpp"
#include "server/http_types.hpp"

namespace coroserve {
namespace {

// What these tests check does not exist when every block comes from the heap.
#define SKIP_UNDER_ASAN()                                                                 \
  do {                                                                                    \
    if (kUnderAddressSanitizer) {                                                         \
      GTEST_SKIP() << "AddressSanitizer build: field blocks come from the heap directly"; \
    }                                                                                     \
  } while (false)

// Empties the calling thread's cache, so each test starts from nothing kept.
void drain_cache() {
  std::vector<void*> taken;
  for (std::size_t bytes = 64; bytes <= 512; bytes += 64) {
    for (int i = 0; i < 64; ++i) taken.push_back(allocate_field_block(bytes));
  }
  ASSERT_EQ(cached_field_blocks(), 0u);
  for (void* p : taken) ::operator delete(p);
}

TEST(FieldsAllocator, AFreedBlockIsHandedOutAgainWithinItsSizeClass) {
  SKIP_UNDER_ASAN();
  drain_cache();
  void* a = allocate_field_block(100);
  free_field_block(a, 100);
  EXPECT_EQ(cached_field_blocks(), 1u);
  void* small = allocate_field_block(40);  // another class: a new block
  EXPECT_NE(small, a);
  EXPECT_EQ(allocate_field_block(128), a);  // 100 and 128 share a class
  EXPECT_EQ(cached_field_blocks(), 0u);
  free_field_block(small, 40);
  free_field_block(a, 128);
  EXPECT_EQ(cached_field_blocks(), 2u);
}

TEST(FieldsAllocator, KeepsABoundedNumberOfBlocksAndNoneLargerThanItsLargestClass) {
  SKIP_UNDER_ASAN();
  drain_cache();
  std::vector<void*> blocks;
  for (int i = 0; i < 100; ++i) blocks.push_back(allocate_field_block(64));
  for (void* p : blocks) free_field_block(p, 64);
  const std::size_t kept = cached_field_blocks();
  EXPECT_GT(kept, 0u);
  EXPECT_LT(kept, 100u);  // the rest went back to the heap
  void* big = allocate_field_block(513);
  free_field_block(big, 513);
  EXPECT_EQ(cached_field_blocks(), kept);
}

TEST(FieldsAllocator, ABlockFreedOnAnotherThreadJoinsThatThreadsCache) {
  SKIP_UNDER_ASAN();
  drain_cache();
  void* a = allocate_field_block(200);
  std::size_t kept_there = 0;
  void* reused_there = nullptr;
  std::thread other([&] {
    free_field_block(a, 200);
    kept_there = cached_field_blocks();
    reused_there = allocate_field_block(200);
    free_field_block(reused_there, 200);
  });  // its cache, holding the block, is freed as the thread ends
  other.join();
  EXPECT_EQ(kept_there, 1u);
  EXPECT_EQ(reused_there, a);
  EXPECT_EQ(cached_field_blocks(), 0u);
}

// The server's messages use the allocator: fields set, replaced, erased,
// copied and moved keep their values, and what they free is kept for reuse.
TEST(FieldsAllocator, BeastFieldsWorkOverIt) {
  Request req{http::verb::get, "/a/target", 11};
  req.set(http::field::host, "example.com");
  req.set("X-Custom", std::string(300, 'v'));
  req.set(http::field::host, "other.example");  // replaces the first
  Request copy = req;
  Request moved = std::move(req);
  moved.erase("X-Custom");
  EXPECT_EQ(copy.target(), "/a/target");
  EXPECT_EQ(copy[http::field::host], "other.example");
  EXPECT_EQ(copy["X-Custom"], std::string(300, 'v'));
  EXPECT_EQ(moved[http::field::host], "other.example");
  EXPECT_EQ(moved.count("X-Custom"), 0u);
  if (!kUnderAddressSanitizer) {
    EXPECT_GT(cached_field_blocks(), 0u);
  }
}

}  // namespace
}  // namespace coroserve
