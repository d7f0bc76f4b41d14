#pragma once
// Notices, on the loop, a client closing its connection while its handshake
// step waits for a worker, and raises a flag the worker reads before the
// step's public-key work. The loop keeps the socket: only the flag crosses.
//
// A client sends nothing between its flight and the server's, so the
// socket turning readable then is EOF or a reset. An HTTP client that
// dialled a connection it then did not need (Go's, for one) closes it
// mid-handshake at once; a burst of those must not hold the workers.
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>

namespace coroserve::tls {

class LeaveWatch {
 public:
  // Starts watching `socket`, which must outlive the watch.
  explicit LeaveWatch(boost::asio::ip::tcp::socket& socket);
  // Stops: the step has returned (or was never queued).
  ~LeaveWatch();
  LeaveWatch(const LeaveWatch&) = delete;
  LeaveWatch& operator=(const LeaveWatch&) = delete;

  // Set once the client has left; for the worker to read.
  std::shared_ptr<const std::atomic<bool>> left() const { return {state_, &state_->left}; }

 private:
  struct State {
    std::atomic<bool> left{false};
    bool watching = true;  // loop only: false once the watch has ended
  };
  static void arm(boost::asio::ip::tcp::socket& socket, std::shared_ptr<State> state);

  boost::asio::ip::tcp::socket& socket_;
  std::shared_ptr<State> state_;
};

}  // namespace coroserve::tls
