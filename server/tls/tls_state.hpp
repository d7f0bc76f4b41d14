#pragma once
// The server's TLS, as the loop sees it: the context new handshakes take
// (none: plain HTTP), replaced by a reload, and where handshake steps run.
#include <utility>

#include "server/tls/context.hpp"
#include "server/tls/tls_metrics.hpp"

namespace coroserve::tls {

class TlsState {
 public:
  const ContextPtr& context() const { return context_; }
  // Handshakes that begin from now on take `ctx`; the ones begun keep theirs.
  void install(ContextPtr ctx) { context_ = std::move(ctx); }

  Where where = Where::pool;

 private:
  ContextPtr context_;
};

}  // namespace coroserve::tls
