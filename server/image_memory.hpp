#pragma once
// Mandelbrot renders hold memory while they are queued and computed (RGB
// stripes, the joined image, the PNG), so their total is bounded apart from
// the queue: past --max-image-bytes a new render gets 503 (the handler
// refuses one that could never fit with 400 before it gets here).
#include <cstdint>
#include <string>

#include "server/overloaded.hpp"

namespace coroserve {

class ImageMemoryFull : public Overloaded {
 public:
  explicit ImageMemoryFull(const std::string& detail)
      : Overloaded(ShedReason::image_memory, detail) {}
};

class ImageMemoryBudget {
 public:
  explicit ImageMemoryBudget(std::uint64_t limit) : limit_(limit) {}

  // Holds `bytes` of the budget until it goes out of scope.
  class Reservation {
   public:
    Reservation(ImageMemoryBudget& budget, std::uint64_t bytes) : budget_(budget), bytes_(bytes) {}
    ~Reservation() { budget_.in_flight_ -= bytes_; }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;

   private:
    ImageMemoryBudget& budget_;
    std::uint64_t bytes_;
  };

  // Throws ImageMemoryFull when `bytes` more would pass the limit.
  [[nodiscard]] Reservation reserve(std::uint64_t bytes) {
    if (in_flight_ + bytes > limit_) {
      throw ImageMemoryFull("renders in flight hold " + std::to_string(in_flight_) + " of " +
                            std::to_string(limit_) + " bytes (--max-image-bytes); this one needs " +
                            std::to_string(bytes));
    }
    in_flight_ += bytes;
    return Reservation(*this, bytes);
  }

  std::uint64_t in_flight() const { return in_flight_; }
  std::uint64_t limit() const { return limit_; }

 private:
  std::uint64_t limit_;
  std::uint64_t in_flight_ = 0;  // loop thread only
};

}  // namespace coroserve
