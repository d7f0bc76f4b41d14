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
    case ErrorKind::tls:
      return "tls";
    case ErrorKind::stopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view other_class_name(std::size_t c) noexcept {
  constexpr std::string_view kNames[kOtherClasses] = {"1xx", "3xx", "4xx", "5xx", "other"};
  return c < kOtherClasses ? kNames[c] : "other";
}

LazyHistogram::LazyHistogram(const LazyHistogram& o)
    : h_(o.h_ ? std::make_unique<coroserve::LatencyHistogram>(*o.h_) : nullptr) {}

LazyHistogram& LazyHistogram::operator=(const LazyHistogram& o) {
  if (this != &o) h_ = o.h_ ? std::make_unique<coroserve::LatencyHistogram>(*o.h_) : nullptr;
  return *this;
}

void LazyHistogram::merge(const LazyHistogram& o) {
  if (!o.h_) return;
  if (!h_) h_ = std::make_unique<coroserve::LatencyHistogram>();
  h_->merge(*o.h_);
}

std::uint64_t LineStats::error_total() const noexcept {
  std::uint64_t n = 0;
  for (auto e : errors) n += e;
  return n;
}

std::uint64_t LineStats::ok_total() const noexcept {
  std::uint64_t n = 0;
  for (std::size_t code = 200; code < 300; ++code) n += status[code];
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
  for (std::size_t c = 0; c < kOtherClasses; ++c) other_latency[c].merge(o.other_latency[c]);
  error_latency.merge(o.error_latency);
}

void PhaseStats::merge(const PhaseStats& o) {
  connect.merge(o.connect);
  tls_handshake.merge(o.tls_handshake);
  first_byte.merge(o.first_byte);
  tls_handshakes += o.tls_handshakes;
  tls_resumed += o.tls_resumed;
  if (tls_protocol.empty()) tls_protocol = o.tls_protocol;
  if (tls_cipher.empty()) tls_cipher = o.tls_cipher;
}

void ThreadStats::merge(const ThreadStats& o) {
  total.merge(o.total);
  phases.merge(o.phases);
  per_line.resize(std::max(per_line.size(), o.per_line.size()));
  for (std::size_t i = 0; i < o.per_line.size(); ++i) per_line[i].merge(o.per_line[i]);
  connections_opened += o.connections_opened;
  late_sends += o.late_sends;
  dropped_sends += o.dropped_sends;
  last_done = std::max(last_done, o.last_done);
}

}  // namespace corobench
