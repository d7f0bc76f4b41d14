#pragma once
// Memory for what an idle connection keeps: its Connection and, once parked,
// the pending wait. Taken from the heap, these small long-lived objects land
// among the sessions' short-lived buffers and frames and, once the sessions
// end, keep the pages those freed resident (malloc_trim gives back only
// whole free pages). Here they are packed in blocks of their own. Freed
// slots are reused, never given back: the arena keeps the size of the most
// connections ever open at once. Loop thread only.
#include <array>
#include <cstddef>
#include <memory>
#include <vector>

#include "server/address_sanitizer.hpp"

namespace coroserve {

class ConnectionArena {
 public:
  // Under AddressSanitizer every object comes from the heap, so that a use
  // of a connection after it is freed is still reported.
  static constexpr bool kHeapOnly = kUnderAddressSanitizer;

  ConnectionArena() = default;
  ConnectionArena(const ConnectionArena&) = delete;
  ConnectionArena& operator=(const ConnectionArena&) = delete;

  void* allocate(std::size_t bytes);
  void deallocate(void* p, std::size_t bytes) noexcept;
  std::size_t reserved_bytes() const { return blocks_.size() * kBlockBytes; }

 private:
  static constexpr std::size_t kGrain = 16;     // malloc's alignment
  static constexpr std::size_t kLargest = 512;  // larger requests go to the heap
  static constexpr std::size_t kBlockBytes = 64 * 1024;
  static std::size_t size_class(std::size_t bytes) {
    return bytes == 0 ? 1 : (bytes + kGrain - 1) / kGrain;
  }

  struct FreeSlot {
    FreeSlot* next;
  };
  std::array<FreeSlot*, kLargest / kGrain + 1> free_{};  // by size class
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::byte* next_ = nullptr;  // unused part of the newest block
  std::byte* end_ = nullptr;
};

// A standard allocator over the arena, for std::allocate_shared and as an
// Asio handler's associated allocator.
template <class T>
struct ArenaAllocator {
  using value_type = T;

  explicit ArenaAllocator(ConnectionArena& a) noexcept : arena(&a) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena(other.arena) {}

  T* allocate(std::size_t n) { return static_cast<T*>(arena->allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { arena->deallocate(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena == other.arena;
  }

  ConnectionArena* arena;
};

}  // namespace coroserve
