#include "server/connection_registry.hpp"

namespace coroserve {

void ConnectionRegistry::remove(Connection& c) {
  if (!c.is_linked()) return;
  list_.erase(list_.iterator_to(c));
  if (c.admin) --admin_;
  if (list_.empty() && on_empty) on_empty();
}

void ConnectionRegistry::sweep(SteadyClock::time_point now, std::chrono::milliseconds park_after) {
  for (auto& c : list_) {
    if (c.deadline <= now) {
      // Cancelled again at every sweep until the session leaves the phase:
      // a cancel that meets an operation already completing is lost (rare
      // with epoll, common with io_uring, where the kernel finishes the
      // read while the cancel is in flight), and the session's next
      // operation in the same phase must end too.
      c.cancel(CancelReason::deadline);
    } else if (park_after.count() > 0 && c.phase == Phase::idle && !c.parked &&
               c.cancelled == CancelReason::none && now - c.since >= park_after) {
      c.cancel(CancelReason::park);
    }
  }
}

void ConnectionRegistry::close_idle() {
  for (auto& c : list_) {
    // A handshake in progress is not a request in flight either.
    if (c.phase == Phase::idle || c.phase == Phase::handshake) c.cancel(CancelReason::drain);
  }
}

void ConnectionRegistry::close_all() {
  for (auto& c : list_) {
    c.cancel(CancelReason::drain);
    // Closed, not only cancelled: the loop is about to stop, and the client
    // must see the connection end now rather than when the process exits.
    boost::system::error_code ignored;
    c.stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    c.stream.socket().close(ignored);
    if (c.phase == Phase::handling && !c.client_gone()) c.client_left();
  }
}

}  // namespace coroserve
