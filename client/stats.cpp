#include "client/stats.hpp"

#include <algorithm>

namespace corobench {

std::string_view to_string(ErrorKind k) noexcept {
  switch (k) {
    case ErrorKind::connect:
      return "connect";
    case ErrorKind::refused:
      return "refused";
    case ErrorKind::read:
      return "read";
    case ErrorKind::write:
      return "write";
    case ErrorKind::timeout:
      return "timeout";
    case ErrorKind::malformed:
      return "malformed";
  }
  return "unknown";
}

std::uint64_t LineStats::error_total() const noexcept {
  std::uint64_t n = 0;
  for (auto e : errors) n += e;
  return n;
}

void LineStats::merge(const LineStats& o) {
  requests += o.requests;
  responses += o.responses;
  for (std::size_t i = 0; i < errors.size(); ++i) errors[i] += o.errors[i];
  for (std::size_t i = 0; i < status.size(); ++i) status[i] += o.status[i];
  bytes_sent += o.bytes_sent;
  bytes_received += o.bytes_received;
  latency.merge(o.latency);
}

void ThreadStats::merge(const ThreadStats& o) {
  total.merge(o.total);
  per_line.resize(std::max(per_line.size(), o.per_line.size()));
  for (std::size_t i = 0; i < o.per_line.size(); ++i) per_line[i].merge(o.per_line[i]);
  connections_opened += o.connections_opened;
  last_done = std::max(last_done, o.last_done);
}

}  // namespace corobench
