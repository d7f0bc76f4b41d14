#include "server/read_buffer.hpp"

#include <array>
#include <new>

#include "server/connection_arena.hpp"

namespace coroserve {

namespace {

// One per thread, so that no lock is needed: only the loop thread runs
// sessions. Under AddressSanitizer nothing is kept, so that a read into a
// freed buffer is still reported.
class BlockCache {
 public:
  BlockCache() = default;
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;
  ~BlockCache() {
    while (count_ != 0) ::operator delete(blocks_[--count_]);
  }

  void* take() { return count_ != 0 ? blocks_[--count_] : nullptr; }
  bool keep(void* p) {
    if (count_ == kKeptReadBlocks) return false;
    blocks_[count_++] = p;
    return true;
  }
  std::size_t size() const { return count_; }

 private:
  std::array<void*, kKeptReadBlocks> blocks_{};
  std::size_t count_ = 0;
};

thread_local BlockCache cache;

bool cached_size(std::size_t bytes) {
  return !ConnectionArena::kHeapOnly && bytes == kReadChunk;
}

}  // namespace

namespace detail {

void* take_read_block(std::size_t bytes) {
  if (cached_size(bytes)) {
    if (void* p = cache.take()) return p;
  }
  return ::operator new(bytes);
}

void give_read_block(void* p, std::size_t bytes) noexcept {
  if (cached_size(bytes) && cache.keep(p)) return;
  ::operator delete(p);
}

}  // namespace detail

std::size_t kept_read_blocks() {
  return cache.size();
}

}  // namespace coroserve
