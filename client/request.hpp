#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "client/target_url.hpp"

namespace corobench {

// One kind of request a run sends, serialized once up front: sending is then
// a single write of ready bytes, with no per-request formatting.
struct RequestTemplate {
  std::string label;   // "GET /plaintext", for per-line reports
  std::string method;  //
  std::string url;     // absolute, for reports
  unsigned weight = 1;
  bool head = false;  // a HEAD response has headers only: the parser must know
  std::string wire;   // the exact bytes sent
};

// Validates "Name: value" header arguments; throws UsageError naming the bad one.
void validate_header(std::string_view header);

// Builds the request with Beast (Host, User-Agent, Content-Length, and
// Connection: close when !keepalive) and serializes it. A header given in
// `headers` replaces the default one of the same name.
RequestTemplate make_request(std::string_view method, const Target& target,
                             const std::vector<std::string>& headers, std::string_view body,
                             bool keepalive, unsigned weight = 1);

}  // namespace corobench
