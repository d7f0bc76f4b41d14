// The build's edit of Asio's socket read (cmake/PatchAsioShortRead.cmake): a
// read that returns fewer bytes than asked reports the socket exhausted, so
// the reactor waits for epoll before it reads again instead of trying a read
// that returns EAGAIN. The reactor's read operation is driven directly here
// (an Asio detail class: the edit is in it), on a real loopback TCP pair.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

// After the public headers: it needs their declarations.
#include <boost/asio/detail/reactive_socket_recv_op.hpp>

#include <array>
#include <string_view>

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Status = asio::detail::reactor_op::status;

// The reactor's receive operation on `fd` into `buffer`, performed once as
// the reactor would: what it returns decides whether the next read of the
// socket is tried at once or waits for epoll.
class RecvOp : public asio::detail::reactive_socket_recv_op_base<asio::mutable_buffer> {
 public:
  RecvOp(int fd, asio::mutable_buffer buffer)
      : reactive_socket_recv_op_base(boost::system::error_code(), fd,
                                     asio::detail::socket_ops::stream_oriented, buffer, 0,
                                     &RecvOp::never_completed) {}

 private:
  static void never_completed(void*, asio::detail::scheduler_operation*,
                              const boost::system::error_code&, std::size_t) {}
};

// A connected loopback pair; the accepted end is non-blocking, as Asio's
// sockets are when the reactor reads them.
struct TcpPair {
  asio::io_context io;
  tcp::socket client{io};
  tcp::socket server{io};

  TcpPair() {
    tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    server.non_blocking(true);
  }

  void send(std::string_view bytes) { asio::write(client, asio::buffer(bytes)); }

  // Bounded: the bytes sent on loopback are there at once or the test fails.
  ::testing::AssertionResult readable() {
    pollfd p{server.native_handle(), POLLIN, 0};
    if (::poll(&p, 1, 5000) == 1) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the server end was not readable within 5 s";
  }
};

#if defined(BOOST_ASIO_DISABLE_EPOLL)
#define SKIP_WITHOUT_EPOLL() GTEST_SKIP() << "this build reads through io_uring, not the reactor"
#else
#define SKIP_WITHOUT_EPOLL() (void)0
#endif

TEST(AsioShortRead, AShortReadReportsTheSocketExhausted) {
  SKIP_WITHOUT_EPOLL();
  TcpPair pair;
  pair.send("GET /");
  ASSERT_TRUE(pair.readable());
  std::array<char, 64> buf{};
  RecvOp op(pair.server.native_handle(), asio::buffer(buf));
  EXPECT_EQ(op.perform(), Status::done_and_exhausted);
  EXPECT_EQ(op.bytes_transferred_, 5u);
  EXPECT_FALSE(op.ec_);
}

TEST(AsioShortRead, AFullBufferLeavesTheNextReadToBeTriedAtOnce) {
  SKIP_WITHOUT_EPOLL();
  TcpPair pair;
  pair.send("0123456789abcdef0123");
  ASSERT_TRUE(pair.readable());
  std::array<char, 16> buf{};
  RecvOp first(pair.server.native_handle(), asio::buffer(buf));
  EXPECT_EQ(first.perform(), Status::done) << "more bytes may be waiting";
  EXPECT_EQ(first.bytes_transferred_, 16u);
  RecvOp rest(pair.server.native_handle(), asio::buffer(buf));
  EXPECT_EQ(rest.perform(), Status::done_and_exhausted);
  EXPECT_EQ(rest.bytes_transferred_, 4u);
}

TEST(AsioShortRead, AnEmptySocketIsNotDoneAndTheEndOfTheStreamIsExhausted) {
  SKIP_WITHOUT_EPOLL();
  TcpPair pair;
  std::array<char, 16> buf{};
  RecvOp waiting(pair.server.native_handle(), asio::buffer(buf));
  EXPECT_EQ(waiting.perform(), Status::not_done) << "nothing sent yet: EAGAIN";
  pair.client.shutdown(tcp::socket::shutdown_send);
  ASSERT_TRUE(pair.readable());
  RecvOp at_end(pair.server.native_handle(), asio::buffer(buf));
  EXPECT_EQ(at_end.perform(), Status::done_and_exhausted);
  EXPECT_EQ(at_end.ec_, asio::error::eof);
}

}  // namespace
