#pragma once
#include <chrono>
#include <string>
#include <string_view>

#include "client/target_url.hpp"
#include "client/tls_plan.hpp"

namespace corobench {

struct HttpGetResult {
  unsigned status = 0;
  std::string body;
  double seconds = 0;  // wall time of the exchange, connect included
};

// One blocking GET of `target` (origin-form) on `origin`'s server, bounded by
// `timeout`, over TLS for an https:// origin (checked as `tls` says): for the
// demo's setup steps, not for load. Throws RunError.
HttpGetResult http_get(const Target& origin, std::string_view target,
                       std::chrono::milliseconds timeout, const TlsPlan& tls = {});

}  // namespace corobench
