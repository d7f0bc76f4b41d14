#include "server/io_backend.hpp"

#include <boost/system/system_error.hpp>

#include <string>

#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
#include <boost/asio/detail/io_uring_service.hpp>
#endif

namespace coroserve {

boost::asio::io_context& start_io_backend(boost::asio::io_context& ioc) {
#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
  // The service's constructor sets up the ring and throws when it cannot:
  // seccomp (Docker's default profile), kernel.io_uring_disabled, or an old
  // kernel.
  try {
    boost::asio::use_service<boost::asio::detail::io_uring_service>(ioc);
  } catch (const boost::system::system_error& e) {
    throw IoUringRefused("this build uses io_uring and the kernel refused io_uring_setup (" +
                         e.code().message() +
                         "): run the epoll build, or allow io_uring in the container's seccomp "
                         "profile");
  }
#endif
  return ioc;
}

}  // namespace coroserve
