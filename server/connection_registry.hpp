#pragma once
// Every open connection, in an intrusive list (no allocation per connection).
// One periodic sweep enforces all timeouts, instead of arming a timer per
// socket operation: cheaper on the hot path and no timer object per idle
// connection. Timeouts are therefore accurate to the sweep interval.
#include <boost/intrusive/list.hpp>

#include <cstdint>
#include <functional>

#include "server/connection.hpp"
#include "server/connection_arena.hpp"

namespace coroserve {

class ConnectionRegistry {
 public:
  // `arena` holds the connections and their parked waits; it must outlive
  // the io_context, whose pending handlers may own the last references.
  explicit ConnectionRegistry(ConnectionArena& arena) : arena_(arena) {}
  ~ConnectionRegistry() { list_.clear(); }

  ConnectionArena& arena() { return arena_; }

  void add(Connection& c) {
    list_.push_back(c);
    if (c.admin) ++admin_;
  }
  void remove(Connection& c);
  std::size_t size() const { return list_.size(); }
  // Of those, connections on --admin-port (bounded by --max-admin-connections).
  std::size_t admin_size() const { return admin_; }

  // Parked connections (idle, without a session; see parking.hpp).
  void on_parked() { ++parked_, ++parks_; }
  void on_woken() { --parked_; }
  std::size_t parked() const { return parked_; }
  std::uint64_t parks() const { return parks_; }  // ever

  // Cancels the pending socket operation of each connection past its
  // deadline, and the idle read of each connection idle for `park_after`
  // (zero: never), so that its session parks it (see parking.hpp).
  void sweep(SteadyClock::time_point now, std::chrono::milliseconds park_after);
  // Drain, first step: idle keep-alive connections close now.
  void close_idle();
  // Drain, last step: every socket is closed now, and offloaded work for
  // them is abandoned.
  void close_all();

  // Called when the last connection is removed (the drain waits for it).
  std::function<void()> on_empty;

 private:
  ConnectionArena& arena_;
  boost::intrusive::list<Connection, boost::intrusive::constant_time_size<true>> list_;
  std::size_t admin_ = 0;
  std::size_t parked_ = 0;
  std::uint64_t parks_ = 0;
};

}  // namespace coroserve
