#pragma once
#include <boost/asio/buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "client/mix.hpp"
#include "client/request.hpp"

namespace corobench {

// The batch of requests one connection has in flight: written together, then
// answered in order (HTTP/1.1 pipelining). Without --pipeline it holds one
// request. Its storage is reserved once: filling it allocates nothing.
class PipelineWindow {
 public:
  PipelineWindow(const std::vector<RequestTemplate>& requests, unsigned capacity)
      : requests_(requests) {
    lines_.reserve(capacity);
    buffers_.reserve(capacity);
  }

  // Starts a batch of `n` requests, each on the next line of the mix.
  // Warmup batches (`measured` false) are sent like any other and counted
  // nowhere.
  void fill(std::uint64_t n, WeightedPicker& picker, bool measured) {
    measured_ = measured;
    lines_.clear();
    buffers_.clear();
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::size_t line = picker.next();
      lines_.push_back(line);
      buffers_.push_back(boost::asio::buffer(requests_[line].wire));
    }
  }

  std::size_t size() const noexcept { return lines_.size(); }
  bool measured() const noexcept { return measured_; }
  // The mix line of request i, and the request itself.
  std::size_t line(std::size_t i) const noexcept { return lines_[i]; }
  const RequestTemplate& request(std::size_t i) const noexcept { return requests_[lines_[i]]; }
  // The bytes of the whole batch, one buffer per request.
  const std::vector<boost::asio::const_buffer>& buffers() const noexcept { return buffers_; }

 private:
  const std::vector<RequestTemplate>& requests_;
  std::vector<std::size_t> lines_;
  std::vector<boost::asio::const_buffer> buffers_;
  bool measured_ = false;
};

}  // namespace corobench
