#pragma once
// The loop's I/O backend. A build with Asio's io_uring backend (the uring
// preset) sets up its ring when the first I/O object is made; a kernel or a
// container that refuses io_uring_setup would then surface as a bare
// system_error from the middle of Server's constructor.
#include <boost/asio/io_context.hpp>

#include <stdexcept>

namespace coroserve {

// The build uses io_uring and the kernel refused to set up a ring.
class IoUringRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Sets up ioc's I/O backend now, so that a refused io_uring is reported as
// such (IoUringRefused). Nothing to do with epoll. Returns ioc, for use in a
// member initializer.
boost::asio::io_context& start_io_backend(boost::asio::io_context& ioc);

}  // namespace coroserve
