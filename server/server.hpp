#pragma once
// The coroserve server: one io_context run by one thread (the loop), an
// accept loop that spawns a coroutine per connection (on --port, HTTPS when
// a certificate is given; on --admin-port, plain HTTP for probes), the
// worker pool for CPU work and handshakes, the timeout sweeper, the
// certificate reload and the graceful drain.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <memory>

#include "server/config.hpp"
#include "server/connection_registry.hpp"
#include "server/reactor_reserve.hpp"
#include "server/server_state.hpp"
#include "server/worker_pool.hpp"

namespace coroserve {

class Server {
 public:
  // Loads the TLS certificate and key when given (throws tls::SetupError)
  // and binds the listening sockets at once (so port() is known); throws
  // std::system_error when an address cannot be bound, IoUringRefused when the
  // build uses io_uring and the kernel refuses it.
  explicit Server(Config config, bool handle_signals = false);
  ~Server();

  // Runs the loop on the calling thread until the drain completes.
  void run();

  // Starts the graceful drain, as SIGTERM does. Thread-safe.
  void request_stop();
  // Reloads the TLS certificate and key, as SIGHUP does. Thread-safe.
  void request_reload();

  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }  // 0: no --admin-port
  // Readable from any thread (atomics).
  PoolStats pool_stats() const { return pool_.stats(); }

 private:
  boost::asio::awaitable<void> accept_loop(boost::asio::ip::tcp::acceptor& acceptor, bool admin);
  void start_session(boost::asio::ip::tcp::socket socket,
                     const boost::asio::ip::tcp::endpoint& peer, bool admin);
  bool admit(boost::asio::ip::tcp::socket& socket, bool admin);
  void on_signal(boost::system::error_code ec, int signo);
  boost::asio::awaitable<void> sweep_loop();
  boost::asio::awaitable<void> lag_loop();
  void trim_when_quiet();
  void begin_drain(const char* why);
  void finish_drain();

  Config config_;
  ConnectionArena arena_;  // before ioc_: destroyed after the handlers it holds
  // One thread runs the loop and only it touches sockets, so the reactor
  // needs no lock per socket; the pool's results still arrive by post(), so
  // the scheduler keeps its lock.
  boost::asio::io_context ioc_{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  WorkerPool pool_;
  ServerState state_;
  ConnectionRegistry registry_{arena_};
  ReactorReserve reactor_reserve_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::acceptor admin_acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer sweep_timer_;
  boost::asio::steady_timer lag_timer_;
  boost::asio::steady_timer drain_timer_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
  std::uint64_t next_connection_id_ = 1;
  std::uint64_t parks_at_last_trim_ = 0;
  std::uint64_t requests_at_last_sweep_ = 0;
  bool handle_signals_ = false;
  bool finished_ = false;
};

}  // namespace coroserve
