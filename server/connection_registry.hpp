#pragma once
// Every open connection, in an intrusive list (no allocation per connection).
// One periodic sweep enforces all timeouts, instead of arming a timer per
// socket operation: cheaper on the hot path and no timer object per idle
// connection. Timeouts are therefore accurate to the sweep interval.
#include <boost/intrusive/list.hpp>

#include <functional>

#include "server/connection.hpp"

namespace coroserve {

class ConnectionRegistry {
 public:
  ~ConnectionRegistry() { list_.clear(); }

  void add(Connection& c) { list_.push_back(c); }
  void remove(Connection& c);
  std::size_t size() const { return list_.size(); }

  // Cancels the pending socket operation of each connection past its deadline.
  void sweep(SteadyClock::time_point now);
  // Drain, first step: idle keep-alive connections close now.
  void close_idle();
  // Drain, last step: every socket is closed now, and offloaded work for
  // them is abandoned.
  void close_all();

  // Called when the last connection is removed (the drain waits for it).
  std::function<void()> on_empty;

 private:
  boost::intrusive::list<Connection, boost::intrusive::constant_time_size<true>> list_;
};

}  // namespace coroserve
