#include "server/fields_allocator.hpp"

#include <array>
#include <cstdint>

#include "server/address_sanitizer.hpp"

namespace coroserve {

namespace {

constexpr std::size_t kGrain = 64;     // size classes: 1-64, 65-128, ... bytes
constexpr std::size_t kLargest = 512;  // larger blocks always go to the heap
constexpr std::size_t kClasses = kLargest / kGrain;
constexpr std::uint8_t kKeptPerClass = 32;

std::size_t size_class(std::size_t bytes) {
  return bytes == 0 ? 0 : (bytes - 1) / kGrain;
}

bool bypasses_cache(std::size_t bytes) {
  return kUnderAddressSanitizer || bytes > kLargest;
}

struct FreeBlock {
  FreeBlock* next;
};

struct ThreadCache {
  std::array<FreeBlock*, kClasses> head{};
  std::array<std::uint8_t, kClasses> count{};
  ~ThreadCache();
};

// Set when the thread's cache is destroyed at thread exit: a field freed
// after that on the same thread (by a later thread_local's destructor) goes
// straight to the heap. Trivially destructible, so it outlives the cache.
thread_local bool cache_gone = false;
thread_local ThreadCache cache;

ThreadCache::~ThreadCache() {
  for (FreeBlock* block : head) {
    while (block != nullptr) {
      FreeBlock* next = block->next;
      ::operator delete(block);
      block = next;
    }
  }
  cache_gone = true;
}

}  // namespace

void* allocate_field_block(std::size_t bytes) {
  if (bypasses_cache(bytes) || cache_gone) return ::operator new(bytes);
  const std::size_t cls = size_class(bytes);
  if (FreeBlock* block = cache.head[cls]) {
    cache.head[cls] = block->next;
    --cache.count[cls];
    return block;
  }
  return ::operator new((cls + 1) * kGrain);  // the class's size, so any of it can reuse the block
}

void free_field_block(void* p, std::size_t bytes) noexcept {
  if (bypasses_cache(bytes) || cache_gone) return ::operator delete(p);
  const std::size_t cls = size_class(bytes);
  if (cache.count[cls] == kKeptPerClass) return ::operator delete(p);
  auto* block = static_cast<FreeBlock*>(p);
  block->next = cache.head[cls];
  cache.head[cls] = block;
  ++cache.count[cls];
}

std::size_t cached_field_blocks() noexcept {
  if (cache_gone) return 0;
  std::size_t n = 0;
  for (std::uint8_t c : cache.count) n += c;
  return n;
}

}  // namespace coroserve
