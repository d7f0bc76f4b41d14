#include "server/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "common/version.hpp"
#include "server/accept_waiting.hpp"
#include "server/io_backend.hpp"
#include "server/listener.hpp"
#include "server/reject_connection.hpp"
#include "server/session.hpp"
#include "server/tls/reload.hpp"

namespace coroserve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// "host:port", an IPv6 address in brackets as in a URL ("[::1]:8080").
std::string host_and_port(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Sweep often enough that a timeout fires within ~25% of its length, but no
// more often than every 5 ms nor less often than every 250 ms.
std::chrono::milliseconds sweep_interval(const Config& c) {
  const auto shortest = std::min(
      {c.header_timeout, c.body_timeout, c.idle_timeout, c.write_timeout, c.tls_handshake_timeout});
  return std::clamp(shortest / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(250));
}

WorkerPool::Options pool_options(const Config& c) {
  WorkerPool::Options o;
  o.threads = c.effective_workers();
  o.max_queue = c.queue;
  o.nice = c.worker_nice;
  o.max_urgent = c.max_pending_handshakes;  // handshake steps, taken before CPU work
  o.sched = parse_worker_sched(c.worker_sched).value_or(WorkerSched::other);
  o.queue_target = c.queue_target;
  o.queue_interval = c.queue_interval;
  o.max_tracked_clients = c.max_tracked_clients;
  o.max_queued_per_client = c.max_queued_per_client;
  return o;
}

}  // namespace

Server::Server(Config config, bool handle_signals)
    : config_(std::move(config)),
      // The I/O backend before any I/O object, so that a refused io_uring
      // is reported as such.
      pool_(start_io_backend(ioc_).get_executor(), pool_options(config_)),
      state_(config_, pool_),
      acceptor_(ioc_),
      admin_acceptor_(ioc_),
      signals_(ioc_),
      sweep_timer_(ioc_),
      lag_timer_(ioc_),
      drain_timer_(ioc_) {
  // Before binding: a certificate that does not load is an error at start.
  if (config_.tls()) {
    state_.tls.install(tls::make_context({config_.tls_cert, config_.tls_key}));
    state_.tls.where = config_.tls_handshake_on == "loop" ? tls::Where::loop : tls::Where::pool;
  }
  acceptor_ = open_listener(ioc_, config_.host, config_.port, config_.reuse_port);
  port_ = acceptor_.local_endpoint().port();
  if (config_.admin_port) {
    admin_acceptor_ = open_listener(ioc_, config_.host, *config_.admin_port);
    admin_port_ = admin_acceptor_.local_endpoint().port();
  }
  if (!config_.port_file.empty()) write_port_file(config_.port_file, port_);

  handle_signals_ = handle_signals;
  if (handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    if (state_.tls.context()) signals_.add(SIGHUP);  // without TLS, SIGHUP keeps its default
  }
  state_.open_connections = [this] { return registry_.size(); };
  state_.parked_connections = [this] { return registry_.parked(); };
  registry_.on_empty = [this] {
    if (state_.draining) finish_drain();
  };
}

Server::~Server() {
  pool_.stop();
  registry_.on_empty = nullptr;
}

void Server::run() {
  spdlog::info("{} {} listening on {}{} ({})", kName, kVersion, host_and_port(config_.host, port_),
               state_.tls.context() ? " (HTTPS)" : "", describe(config_));
  if (state_.tls.context()) {
    spdlog::info("TLS certificate: {}", tls::describe_certificate(state_.tls.context().get()));
    // Served all the same (a test setup may mean it), but said loudly.
    if (auto problem = tls::validity_problem(state_.tls.context().get()); !problem.empty()) {
      spdlog::warn("TLS certificate {}: clients that check it will refuse every handshake",
                   problem);
    }
  }
  asio::co_spawn(ioc_, accept_loop(acceptor_, false), asio::detached);
  if (admin_acceptor_.is_open()) {
    spdlog::info("admin (plain HTTP) on {}:{}", config_.host, admin_port_);
    asio::co_spawn(ioc_, accept_loop(admin_acceptor_, true), asio::detached);
  }
  asio::co_spawn(ioc_, sweep_loop(), asio::detached);
  asio::co_spawn(ioc_, lag_loop(), asio::detached);
  if (handle_signals_) {
    signals_.async_wait([this](boost::system::error_code ec, int signo) { on_signal(ec, signo); });
  }
  ioc_.run();
  spdlog::info("stopped");
}

void Server::on_signal(boost::system::error_code ec, int signo) {
  if (ec) return;
  if (signo == SIGHUP) {
    asio::co_spawn(ioc_, tls::reload(state_), asio::detached);
  } else if (!state_.draining) {
    begin_drain(signo == SIGINT ? "SIGINT" : "SIGTERM");
  } else {
    spdlog::warn("second signal: closing every connection now");
    registry_.close_all();
    finish_drain();
    return;
  }
  signals_.async_wait([this](boost::system::error_code e, int n) { on_signal(e, n); });
}

void Server::request_stop() {
  asio::post(ioc_, [this] { begin_drain("stop requested"); });
}

void Server::request_reload() {
  asio::post(ioc_, [this] { asio::co_spawn(ioc_, tls::reload(state_), asio::detached); });
}

// Asio watches the listening socket edge-triggered: a wake says that
// connections arrived, not how many, so each wake takes every one waiting.
// A burst larger than a batch is taken a batch at a time, the loop yielding
// in between, so that it does not hold up the connections already served.
// Taking one a wake (epoll then reports the listener again while more wait)
// saves the last accept4(), which finds none, when wakes bring one each;
// but once connections queue, as they do when the server is short of CPU,
// it costs a re-arm and an epoll_wait() for every connection instead of
// one for the whole wake (docs/performance.md, "A connection per request").
asio::awaitable<void> Server::accept_loop(tcp::acceptor& acceptor, bool admin) {
  constexpr int kAcceptBatch = 32;
  asio::steady_timer backoff(ioc_);
  auto start = [this, admin](tcp::socket socket, const tcp::endpoint& peer) {
    start_session(std::move(socket), peer, admin);
  };
  for (;;) {
    auto [ec] = co_await acceptor.async_wait(tcp::acceptor::wait_read, kTuple);
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    Backlog backlog;
    while ((backlog = take_waiting(acceptor, kAcceptBatch, start)) == Backlog::more) {
      co_await asio::post(ioc_, asio::use_awaitable);
    }
    if (backlog == Backlog::closed) co_return;
    if (backlog == Backlog::exhausted) {
      // Out of file descriptors: retrying at once would spin. Wait for
      // connections to close and try again.
      spdlog::warn("accept: out of file descriptors or memory; pausing accepts for 100 ms");
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(kTuple);
    }
  }
}

void Server::start_session(tcp::socket socket, const tcp::endpoint& peer, bool admin) {
  if (!admit(socket, admin)) return;
  reactor_reserve_.ensure(ioc_, registry_.size());
  ++state_.metrics.connections_accepted;
  Accepted accepted{std::move(socket), peer.address(), next_connection_id_++, admin};
  spawn_session(state_, registry_, std::move(accepted));
}

// Past its bound a newcomer is refused and counted: on plain HTTP with a
// 503; on the HTTPS port closed without a handshake (a 503 would need one);
// on --admin-port closed, apart from --max-connections so that probes still
// get in when the service port is full.
bool Server::admit(tcp::socket& socket, bool admin) {
  const std::size_t admins = registry_.admin_size();
  const bool full = admin ? admins >= config_.max_admin_connections
                          : registry_.size() - admins >= config_.max_connections;
  if (!full) return true;
  ++state_.metrics.connections_rejected;
  if (admin || state_.tls.context()) {
    boost::system::error_code ignored;
    socket.close(ignored);
  } else {
    reject_connection(state_, std::move(socket));
  }
  return false;
}

// Event-loop lag: a timer asks to fire every kLagInterval and we measure how
// late it does. Anything that blocks the loop (CPU work with where=loop, a
// slow handler) shows here at once.
asio::awaitable<void> Server::lag_loop() {
  constexpr auto kLagInterval = std::chrono::milliseconds(50);
  while (!finished_) {
    const auto due = SteadyClock::now() + kLagInterval;
    lag_timer_.expires_at(due);
    auto [ec] = co_await lag_timer_.async_wait(kTuple);
    if (ec) co_return;
    state_.metrics.record_loop_lag(
        std::max(SteadyClock::duration::zero(), SteadyClock::now() - due));
  }
}

asio::awaitable<void> Server::sweep_loop() {
  const auto interval = sweep_interval(config_);
  while (!finished_) {
    sweep_timer_.expires_after(interval);
    auto [ec] = co_await sweep_timer_.async_wait(kTuple);
    if (ec) co_return;
    registry_.sweep(SteadyClock::now(), config_.idle_park);
    trim_when_quiet();
  }
}

// Parked connections gave their buffers and coroutine frames back to
// malloc, which keeps the pages: without a trim the process holds the RSS of
// its busiest moment. malloc_trim hands whole free pages back to the kernel,
// but it walks the heap (~3 ms with 10,000 connections), so it runs only
// when the loop is quiet: connections were parked, and no request was
// answered during the last sweep interval.
void Server::trim_when_quiet() {
  const auto requests = state_.metrics.requests_total();
  const bool quiet = requests == requests_at_last_sweep_;
  requests_at_last_sweep_ = requests;
  if (!quiet || registry_.parks() == parks_at_last_trim_) return;
  parks_at_last_trim_ = registry_.parks();
  ::malloc_trim(0);
}

void Server::begin_drain(const char* why) {
  if (state_.draining) return;
  state_.draining = true;
  spdlog::info("{}: draining {} connection(s), up to {} ms", why, registry_.size(),
               config_.drain_timeout.count());
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  admin_acceptor_.close(ignored);
  registry_.close_idle();
  if (registry_.size() == 0) {
    finish_drain();
    return;
  }
  drain_timer_.expires_after(config_.drain_timeout);
  drain_timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    spdlog::warn("drain timeout: closing {} connection(s) still busy", registry_.size());
    registry_.close_all();
    finish_drain();
  });
}

void Server::finish_drain() {
  if (finished_) return;
  finished_ = true;
  boost::system::error_code ignored;
  drain_timer_.cancel();
  sweep_timer_.cancel();
  lag_timer_.cancel();
  signals_.cancel(ignored);
  acceptor_.close(ignored);
  admin_acceptor_.close(ignored);
  pool_.stop();
  ioc_.stop();
}

}  // namespace coroserve
