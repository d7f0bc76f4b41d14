#include "server/read_buffer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

#include "server/connection_arena.hpp"

namespace coroserve {
namespace {

// Each test runs on a thread of its own, so that it starts from an empty
// cache whatever ran before it on the test's main thread.
template <class Body>
void on_a_fresh_thread(Body body) {
  std::thread(body).join();
}

boost::asio::mutable_buffer first_read_space(ReadBuffer& buffer) {
  return buffer.prepare(kReadChunk);
}

const void* first_read(ReadBuffer& buffer) {
  return first_read_space(buffer).data();
}

TEST(ReadBuffer, AFreedBufferIsTheNextSessionsOnTheSameThread) {
  if (ConnectionArena::kHeapOnly) GTEST_SKIP() << "AddressSanitizer build: nothing is kept";
  on_a_fresh_thread([] {
    const void* first = nullptr;
    {
      ReadBuffer a;
      first = first_read(a);
      EXPECT_EQ(kept_read_blocks(), 0u);
    }
    EXPECT_EQ(kept_read_blocks(), 1u);
    ReadBuffer b;
    EXPECT_EQ(first_read(b), first);
    EXPECT_EQ(kept_read_blocks(), 0u);
  });
}

TEST(ReadBuffer, AGrownBufferGoesBackToTheHeap) {
  on_a_fresh_thread([] {
    std::size_t kept_while_grown = 0;
    {
      ReadBuffer a;
      a.commit(boost::asio::buffer_copy(first_read_space(a), boost::asio::buffer("GET ", 4)));
      a.prepare(kReadChunk);  // 4 bytes held and 4096 more: a larger block
      EXPECT_GT(a.capacity(), kReadChunk);
      kept_while_grown = kept_read_blocks();  // the first block, given back as it grew
    }
    EXPECT_EQ(kept_while_grown, ConnectionArena::kHeapOnly ? 0u : 1u);
    EXPECT_EQ(kept_read_blocks(), kept_while_grown);  // the larger one went to the heap
  });
}

TEST(ReadBuffer, AtMostABoundOfBlocksIsKept) {
  on_a_fresh_thread([] {
    {
      std::vector<std::unique_ptr<ReadBuffer>> many;
      for (std::size_t i = 0; i < kKeptReadBlocks + 10; ++i) {
        many.push_back(std::make_unique<ReadBuffer>());
        first_read(*many.back());
      }
    }
    EXPECT_EQ(kept_read_blocks(), ConnectionArena::kHeapOnly ? 0u : kKeptReadBlocks);
  });
}

TEST(ReadBuffer, EachThreadKeepsItsOwn) {
  if (ConnectionArena::kHeapOnly) GTEST_SKIP() << "AddressSanitizer build: nothing is kept";
  on_a_fresh_thread([] {
    {
      ReadBuffer a;
      first_read(a);
    }
    on_a_fresh_thread([] { EXPECT_EQ(kept_read_blocks(), 0u); });
    EXPECT_EQ(kept_read_blocks(), 1u);
  });
}

}  // namespace
}  // namespace coroserve
