#pragma once
// Notices a client closing its connection while its request is handled, so
// that CPU work for a client that is gone is skipped. Watching costs a
// syscall, so it is armed only by handlers that offload work; it stops when
// the handler returns, however it returns.
#include <boost/asio/cancellation_signal.hpp>

#include <memory>

#include "server/connection.hpp"

namespace coroserve {

class ClientWatch {
 public:
  explicit ClientWatch(const std::shared_ptr<Connection>& conn) : conn_(conn) {}
  ~ClientWatch() { stop(); }
  ClientWatch(const ClientWatch&) = delete;
  ClientWatch& operator=(const ClientWatch&) = delete;

  // Arms the watch (once) and returns a slot that fires when the client
  // leaves: pass it to the pool.
  boost::asio::cancellation_slot slot();

 private:
  void stop();
  const std::shared_ptr<Connection>& conn_;
};

}  // namespace coroserve
