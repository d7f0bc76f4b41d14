#pragma once
#include <string>

namespace corobench {

// The TLS flags of a run (https:// URLs only).
struct TlsPlan {
  std::string cacert;  // --cacert: trust this CA file instead of the system's store
  bool verify = true;  // false with --insecure
  bool resume = true;  // --tls-resume: offer the last session on a new connection
};

}  // namespace corobench
