// The build's edits of Asio's socket read and epoll reactor
// (cmake/PatchAsioShortRead.cmake): a read that returns fewer bytes than asked
// reports the socket exhausted, so the reactor waits for epoll before it reads
// again instead of trying a read that returns EAGAIN; once epoll has reported
// the peer's FIN, reads are tried at once again, so a FIN that came with the
// data is still read. The reactor's read operation is driven directly first
// (an Asio detail class: the edit is in it), then whole reads through a real
// io_context, on a real loopback TCP pair.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

// After the public headers: it needs their declarations.
#include <boost/asio/detail/reactive_socket_recv_op.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
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

  // The bytes and the FIN in one segment: corked, the data waits for the FIN.
  void send_and_shut_down(std::string_view bytes) {
    int on = 1;
    ::setsockopt(client.native_handle(), IPPROTO_TCP, TCP_CORK, &on, sizeof on);
    send(bytes);
    client.shutdown(tcp::socket::shutdown_send);
  }

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

constexpr auto kBound = std::chrono::seconds(5);

// What one async_read_some on the server end delivered, or nothing when it
// did not complete within the bound.
struct ReadResult {
  boost::system::error_code ec;
  std::string bytes;
};

// One async_read_some on the server end, started now; `got` is set when it
// completes.
struct PendingRead {
  std::array<char, 64> buf{};
  std::optional<ReadResult> got;

  explicit PendingRead(TcpPair& pair) {
    pair.server.async_read_some(asio::buffer(buf),
                                [this](boost::system::error_code ec, std::size_t n) {
                                  got = ReadResult{ec, std::string(buf.data(), n)};
                                });
  }
};

// Runs the reactor until nothing is pending or the bound passes.
void run_reactor(TcpPair& pair, std::chrono::milliseconds bound) {
  pair.io.restart();
  pair.io.run_for(bound);
}

std::optional<ReadResult> read_once(TcpPair& pair, std::chrono::milliseconds bound) {
  PendingRead read(pair);
  run_reactor(pair, bound);
  return read.got;
}

// Runs the reactor for a moment with no read pending, so that epoll's event
// for what has arrived is taken before the next read starts.
void let_the_reactor_see_the_socket(TcpPair& pair) {
  asio::steady_timer pause(pair.io, std::chrono::milliseconds(50));
  pause.async_wait([](boost::system::error_code) {});
  run_reactor(pair, kBound);
}

// The next read, after the data, reports the end of the stream.
void expect_the_end(TcpPair& pair) {
  auto end = read_once(pair, kBound);
  ASSERT_TRUE(end) << "the read after the data never saw the FIN (waited 5 s)";
  EXPECT_EQ(end->ec, asio::error::eof);
}

TEST(AsioShortRead, AFinThatCameWithTheDataOfAPendingReadIsStillRead) {
  TcpPair pair;
  PendingRead first(pair);
  run_reactor(pair, std::chrono::milliseconds(20));  // the read tried, found nothing, and waits
  ASSERT_FALSE(first.got) << "nothing was sent yet";
  pair.send_and_shut_down("GET /");
  run_reactor(pair, kBound);
  ASSERT_TRUE(first.got) << "the pending read did not complete within 5 s";
  EXPECT_EQ(first.got->bytes, "GET /");
  expect_the_end(pair);
}

TEST(AsioShortRead, AFinEpollReportedBeforeTheReadStartedIsStillRead) {
  TcpPair pair;
  pair.send_and_shut_down("GET /");
  ASSERT_TRUE(pair.readable());
  let_the_reactor_see_the_socket(pair);
  auto data = read_once(pair, kBound);
  ASSERT_TRUE(data) << "the data was not read within 5 s";
  EXPECT_EQ(data->bytes, "GET /");
  expect_the_end(pair);
}

TEST(AsioShortRead, BytesThatArriveAfterAShortReadAreRead) {
  TcpPair pair;
  pair.send("GET /");
  auto first = read_once(pair, kBound);
  ASSERT_TRUE(first) << "the data was not read within 5 s";
  EXPECT_EQ(first->bytes, "GET /");
  pair.send("x HTTP/1.1");
  auto second = read_once(pair, kBound);
  ASSERT_TRUE(second) << "bytes sent after a short read were not read within 5 s";
  EXPECT_EQ(second->bytes, "x HTTP/1.1");
}

}  // namespace
