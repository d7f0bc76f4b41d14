#include "server/tls/record_scan.hpp"

#include <algorithm>

namespace coroserve::tls {

std::size_t RecordScan::feed(const unsigned char* bytes, std::size_t n) {
  std::size_t ended = 0;
  while (n != 0) {
    if (header_seen_ < kHeaderBytes) {
      const std::size_t take = std::min(kHeaderBytes - header_seen_, n);
      std::copy_n(bytes, take, header_ + header_seen_);
      header_seen_ += take;
      bytes += take;
      n -= take;
      if (header_seen_ < kHeaderBytes) break;
      body_left_ = static_cast<std::size_t>(header_[3]) << 8 | header_[4];
    } else {
      const std::size_t take = std::min(body_left_, n);
      body_left_ -= take;
      bytes += take;
      n -= take;
    }
    if (header_seen_ == kHeaderBytes && body_left_ == 0) {
      ++ended;
      header_seen_ = 0;
    }
  }
  return ended;
}

}  // namespace coroserve::tls
