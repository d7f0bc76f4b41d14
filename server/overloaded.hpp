#pragma once
// The error a bounded resource throws when a request would pass its bound
// (the worker queue, the image memory): the client gets 503 with
// Retry-After and the server stays healthy.
#include <stdexcept>

namespace coroserve {

class Overloaded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace coroserve
