#include "server/reactor_reserve.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <vector>

namespace coroserve {

void ReactorReserve::ensure(boost::asio::io_context& ioc, std::size_t open) {
  if (open + kHeadroom < reserved_) return;
  using tcp = boost::asio::ip::tcp;
  // All open at once, so that the reactor needs a new entry for each; their
  // closing puts the entries on its free list for the next accepts.
  std::vector<tcp::socket> sockets;
  sockets.reserve(kBatch);
  boost::system::error_code ec;
  for (std::size_t i = 0; i < kBatch && !ec; ++i) {
    sockets.emplace_back(ioc).open(tcp::v4(), ec);
  }
  // Out of descriptors, fewer were made: the rest come one per accept, and
  // the next try waits for another batch's worth of connections.
  reserved_ = open + kBatch;
}

}  // namespace coroserve
