#pragma once
// Memory for the header fields of requests and responses. Beast stores each
// field, and a request's target, in a block of its own: four heap blocks
// taken and given back by every small request, about 6% of the
// instructions a keep-alive request costs. Freed blocks are kept here, per
// thread and by size, and handed out again: a push and a pop instead of a
// malloc and a free. A thread keeps at most a few dozen blocks of each
// size; the rest, and every block past the largest size, go to the heap.
// Requests and answers stay on the loop thread (the pool is given values),
// so a block is freed where it was taken; one freed on another thread
// would join that thread's cache, which is as safe.
#include <cstddef>
#include <new>
#include <type_traits>

namespace coroserve {

void* allocate_field_block(std::size_t bytes);
void free_field_block(void* p, std::size_t bytes) noexcept;

// How many freed blocks the calling thread keeps for reuse (for the tests).
std::size_t cached_field_blocks() noexcept;

// The allocator Beast's basic_fields is given: stateless, every instance
// equal, so fields move between messages as with std::allocator.
template <class T>
struct FieldsAllocator {
  using value_type = T;
  using is_always_equal = std::true_type;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "blocks have new's alignment");

  FieldsAllocator() noexcept = default;
  template <class U>
  FieldsAllocator(const FieldsAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) { return static_cast<T*>(allocate_field_block(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_field_block(p, n * sizeof(T)); }

  template <class U>
  bool operator==(const FieldsAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace coroserve
