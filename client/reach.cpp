#include "client/reach.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <string>

#include "client/errors.hpp"
#include "client/link.hpp"

namespace corobench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::vector<tcp::endpoint> resolve_target(const Target& t) {
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  const auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
  if (ec || results.empty()) {
    throw RunError("cannot resolve host '" + t.host +
                   "': " + (ec ? ec.message() : std::string("no addresses")));
  }
  std::vector<tcp::endpoint> eps;
  for (const auto& r : results) eps.push_back(r.endpoint());
  return eps;
}

ConnectTarget connect_target(const Target& t, const std::optional<asio::ip::address>& bind) {
  ConnectTarget to{reachable_from(resolve_target(t), bind), bind};
  if (to.endpoints.empty()) {
    throw UsageError("--bind " + bind->to_string() + " is an IPv" + (bind->is_v4() ? "4" : "6") +
                     " address, but '" + t.host + "' has no IPv" + (bind->is_v4() ? "4" : "6") +
                     " address to connect to");
  }
  return to;
}

void check_reachable(const Target& t, const ConnectTarget& to, std::chrono::milliseconds timeout) {
  asio::io_context ioc;
  ConnState st(ioc);
  Link link(st, to);
  asio::steady_timer timer(ioc);
  std::optional<ConnectFailure> failure;
  bool done = false;
  auto attempt = [&]() -> asio::awaitable<void> {
    failure = co_await link.open(timeout, nullptr);
    done = true;
    timer.cancel();
  };
  asio::co_spawn(ioc, attempt(), asio::detached);
  // A connection leaves its deadline to the thread's sweeper; here one timer
  // is it.
  timer.expires_after(timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (ec || done) return;
    st.timed_out = true;
    boost::system::error_code ignored;
    st.sock.cancel(ignored);
  });
  ioc.run();
  if (!failure) return;
  if (failure->bind_failed) {
    throw UsageError("--bind " + to.bind->to_string() +
                     ": cannot use this address: " + failure->ec.message());
  }
  const std::string where = t.host + ":" + std::to_string(t.port) + " (" + t.url + ")";
  if (failure->kind == ErrorKind::tls) throw RunError("TLS with " + where + ": " + failure->detail);
  const std::string silent = "no answer within " + std::to_string(timeout.count()) + " ms";
  if (failure->kind == ErrorKind::timeout && failure->in_handshake) {
    throw RunError("TLS with " + where + ": connected, but the TLS handshake had " + silent);
  }
  const std::string why = failure->kind == ErrorKind::timeout ? silent : failure->ec.message();
  throw RunError("cannot connect to " + where + ": " + why);
}

}  // namespace corobench
