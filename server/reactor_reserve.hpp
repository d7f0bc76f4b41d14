#pragma once
// Asio's reactor keeps an entry for each open socket (~170 B), taken from
// the heap the first time that many sockets are open at once and reused
// afterwards. Taken one per accept, each entry lands among the sessions'
// short-lived buffers and frames and, once they are freed, keeps their
// pages resident (malloc_trim gives back only whole free pages): idle
// connections then cost several times their live bytes. Grown ahead in
// batches instead, by opening and closing sockets that are never used, the
// entries sit packed together.
#include <boost/asio/io_context.hpp>

#include <cstddef>

namespace coroserve {

class ReactorReserve {
 public:
  // Makes sure entries for more than `open` sockets exist, growing them a
  // batch at a time.
  void ensure(boost::asio::io_context& ioc, std::size_t open);

 private:
  static constexpr std::size_t kBatch = 256;
  static constexpr std::size_t kHeadroom = 64;  // sockets open beyond the registry's count
  std::size_t reserved_ = 0;
};

}  // namespace coroserve
