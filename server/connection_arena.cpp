#include "server/connection_arena.hpp"

#include <new>

namespace coroserve {

void* ConnectionArena::allocate(std::size_t bytes) {
  if (kHeapOnly || bytes > kLargest) return ::operator new(bytes);
  const std::size_t cls = size_class(bytes);
  if (FreeSlot* slot = free_[cls]) {
    free_[cls] = slot->next;
    return slot;
  }
  const std::size_t size = cls * kGrain;
  if (static_cast<std::size_t>(end_ - next_) < size) {
    // The rest of the old block (less than one slot) is left unused.
    blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kBlockBytes));
    next_ = blocks_.back().get();
    end_ = next_ + kBlockBytes;
  }
  void* p = next_;
  next_ += size;
  return p;
}

void ConnectionArena::deallocate(void* p, std::size_t bytes) noexcept {
  if (kHeapOnly || bytes > kLargest) return ::operator delete(p);
  auto* slot = static_cast<FreeSlot*>(p);
  const std::size_t cls = size_class(bytes);
  slot->next = free_[cls];
  free_[cls] = slot;
}

}  // namespace coroserve
