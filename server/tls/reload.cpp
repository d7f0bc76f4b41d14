#include "server/tls/reload.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <functional>
#include <string>
#include <vector>

#include "server/server_state.hpp"

namespace coroserve::tls {

namespace {

// What the worker hands back: a context, or why there is none.
struct Built {
  ContextPtr context;
  std::string error;
};

// A certificate out of its validity period is refused too: it would make
// every handshake fail where the current one may still serve.
Built build(const Files& files) {
  try {
    ContextPtr context = make_context(files);
    if (std::string problem = validity_problem(context.get()); !problem.empty()) {
      return {nullptr, "the certificate in " + files.cert + " " + problem};
    }
    return {std::move(context), {}};
  } catch (const std::exception& e) {
    return {nullptr, e.what()};
  }
}

}  // namespace

boost::asio::awaitable<void> reload(ServerState& state) {
  if (!state.tls.context()) {
    spdlog::info("SIGHUP: nothing to reload (no --tls-cert)");
    co_return;
  }
  const Files files{state.config.tls_cert, state.config.tls_key};
  std::vector<std::function<Built()>> parts;
  parts.emplace_back([files] { return build(files); });
  Built built;
  try {
    auto gathered = co_await state.pool.run_all(std::move(parts));
    built = std::move(gathered.results.front());
  } catch (const std::exception& e) {  // the pool's queue is full, or it stopped
    built.error = e.what();
  }
  state.metrics.tls.record_reload(built.context != nullptr);
  if (!built.context) {
    spdlog::warn("SIGHUP: TLS certificate not reloaded, the old one stays: {}", built.error);
    co_return;
  }
  keep_ticket_keys(state.tls.context().get(), built.context.get());
  state.tls.install(std::move(built.context));
  spdlog::info("SIGHUP: TLS certificate reloaded: {}",
               describe_certificate(state.tls.context().get()));
}

}  // namespace coroserve::tls
