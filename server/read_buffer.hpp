#pragma once
// The buffer a session reads its requests into. Every session takes one and
// gives it back when its connection closes or parks, so a connection per
// request allocates one each time; at 4 KiB it is past glibc's per-thread
// cache, and each allocation went through malloc's bins (about 300
// instructions a connection). Buffers of that one size are kept for the next
// session on the same thread, up to a bound; a buffer grown past it (a large
// header, pipelined requests) comes from the heap and goes back there.
#include <boost/beast/core/flat_buffer.hpp>

#include <cstddef>

namespace coroserve {

// What a session asks for at each read.
inline constexpr std::size_t kReadChunk = 4096;
// Blocks of that size kept per thread, at most: 256 KiB, enough for the
// sessions a busy loop ends and starts between two of its turns, and small
// beside what the connections themselves hold.
inline constexpr std::size_t kKeptReadBlocks = 64;

namespace detail {
void* take_read_block(std::size_t bytes);
void give_read_block(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <class T>
struct ReadBlockAllocator {
  using value_type = T;

  ReadBlockAllocator() = default;
  template <class U>
  ReadBlockAllocator(const ReadBlockAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return static_cast<T*>(detail::take_read_block(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { detail::give_read_block(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const ReadBlockAllocator<U>&) const noexcept {
    return true;  // every block can go back through any of them
  }
};

using ReadBuffer = boost::beast::basic_flat_buffer<ReadBlockAllocator<char>>;

// How many blocks this thread keeps now (for tests).
std::size_t kept_read_blocks();

}  // namespace coroserve
