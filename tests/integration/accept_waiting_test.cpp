// Connections taken off the listening socket by accept4(): each one
// non-blocking and close-on-exec from the start, and known to Asio as such,
// with no syscall spent to tell it.
#include "server/accept_waiting.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/listener.hpp"
#include "server/socket_state.hpp"

namespace coroserve {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Every connection waiting, until accept_waiting() says none is left.
std::vector<tcp::socket> accept_all(tcp::acceptor& listener, std::set<tcp::endpoint>& peers) {
  std::vector<tcp::socket> accepted;
  for (;;) {
    tcp::endpoint peer;
    boost::system::error_code ec;
    tcp::socket socket = accept_waiting(listener, peer, ec);
    if (ec == asio::error::would_block) return accepted;
    EXPECT_FALSE(ec) << ec.message();
    if (ec) return accepted;
    peers.insert(peer);
    accepted.push_back(std::move(socket));
  }
}

void expect_each_waiting_connection_taken(const std::string& host) {
  asio::io_context ioc;
  tcp::acceptor listener = open_listener(ioc, host, 0);
  std::vector<tcp::socket> clients;
  std::set<tcp::endpoint> client_ends;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back(ioc).connect(listener.local_endpoint());  // queued by the kernel
    client_ends.insert(clients.back().local_endpoint());
  }
  std::set<tcp::endpoint> peers;
  std::vector<tcp::socket> accepted = accept_all(listener, peers);
  ASSERT_EQ(accepted.size(), 3u) << "on " << host;
  EXPECT_EQ(peers, client_ends) << "each peer's address comes with its connection";
  for (tcp::socket& s : accepted) {
    const int fd = s.native_handle();
    EXPECT_TRUE(::fcntl(fd, F_GETFL) & O_NONBLOCK) << "the descriptor is non-blocking";
    EXPECT_TRUE(::fcntl(fd, F_GETFD) & FD_CLOEXEC) << "and close-on-exec";
    EXPECT_TRUE(s.non_blocking()) << "and Asio knows it: a write is tried once, never waited on";
  }
}

TEST(AcceptWaiting, TakesEachWaitingConnectionNonBlockingWithItsPeer) {
  expect_each_waiting_connection_taken("127.0.0.1");
}

TEST(AcceptWaiting, TakesIpv6ConnectionsToo) {
  try {
    expect_each_waiting_connection_taken("::1");
  } catch (const boost::system::system_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
}

// A wake takes what waits a batch at a time, and says when none is left.
TEST(AcceptWaiting, TakesABatchAtATimeThenReportsTheBacklogEmpty) {
  asio::io_context ioc;
  tcp::acceptor listener = open_listener(ioc, "127.0.0.1", 0);
  std::vector<tcp::socket> clients;
  for (int i = 0; i < 3; ++i) clients.emplace_back(ioc).connect(listener.local_endpoint());
  std::vector<tcp::socket> started;
  const StartSession start = [&](tcp::socket s, const tcp::endpoint&) {
    started.push_back(std::move(s));
  };
  EXPECT_EQ(take_waiting(listener, 2, start), Backlog::more);
  EXPECT_EQ(started.size(), 2u);
  EXPECT_EQ(take_waiting(listener, 2, start), Backlog::empty);
  EXPECT_EQ(started.size(), 3u);
  listener.close();
  EXPECT_EQ(take_waiting(listener, 2, start), Backlog::closed);
}

// The first read of an accepted socket waits for epoll to report bytes
// instead of trying the socket at once. These check that no bytes are
// missed for it, whenever they arrive: after the read starts, before the
// accept, or before the read starts with the loop run in between (the
// readiness event then finds no read waiting).
class AcceptedPair {
 public:
  AcceptedPair() : listener_(open_listener(ioc_, "127.0.0.1", 0)), client_(ioc_) {
    client_.connect(listener_.local_endpoint());
  }

  void accept() {
    tcp::endpoint peer;
    boost::system::error_code ec;
    server_ = accept_waiting(listener_, peer, ec);
    ASSERT_FALSE(ec) << ec.message();
  }
  void client_sends(std::string_view bytes) { asio::write(client_, asio::buffer(bytes)); }
  void start_reading() {
    server_.async_read_some(asio::buffer(buffer_),
                            [this](boost::system::error_code ec, std::size_t n) {
                              done_ = true;
                              read_ = ec ? "error: " + ec.message() : std::string(buffer_, n);
                            });
  }
  // Runs ready handlers and one look at epoll, as the loop does between them.
  void run_ready() {
    {
      auto work = asio::make_work_guard(ioc_);  // else poll() would find no work and stop
      ioc_.poll();
    }  // its end stops the io_context
    ioc_.restart();
  }
  // The bytes read, or "" when the read had not completed within 5 s.
  std::string wait_for_read() {
    for (int i = 0; i < 100 && !done_; ++i) {
      ioc_.run_for(std::chrono::milliseconds(50));
      ioc_.restart();
    }
    return read_;
  }
  bool done() const { return done_; }
  // A request accepted and read whole, as a session reads one.
  std::string accept_and_read(std::string_view request) {
    accept();
    client_sends(request);
    start_reading();
    return wait_for_read();
  }
  tcp::socket& server() { return server_; }
  void client_shuts_down() { client_.shutdown(tcp::socket::shutdown_send); }

 private:
  asio::io_context ioc_;
  tcp::acceptor listener_;
  tcp::socket client_;
  tcp::socket server_{ioc_};
  char buffer_[64];
  bool done_ = false;
  std::string read_;
};

TEST(AcceptWaiting, AFirstReadStartedBeforeTheRequestGetsItWhenItComes) {
  AcceptedPair r;
  r.accept();
  r.start_reading();
  r.run_ready();
  EXPECT_FALSE(r.done()) << "nothing was sent yet";
  r.client_sends("GET / HTTP/1.1");
  EXPECT_EQ(r.wait_for_read(), "GET / HTTP/1.1");
}

TEST(AcceptWaiting, ARequestSentBeforeTheAcceptIsRead) {
  AcceptedPair r;
  r.client_sends("GET / HTTP/1.1");
  r.accept();
  r.start_reading();
  EXPECT_EQ(r.wait_for_read(), "GET / HTTP/1.1");
}

TEST(AcceptWaiting, ARequestThatCameBeforeTheReadStartedIsRead) {
  AcceptedPair r;
  r.client_sends("GET / HTTP/1.1");
  r.accept();
  r.run_ready();  // epoll reports the bytes while no read waits for them
  r.start_reading();
  EXPECT_EQ(r.wait_for_read(), "GET / HTTP/1.1");
}

// Whether the client may have sent more since the request was read, as the
// reactor tells it without a syscall before a connection closes.
TEST(AcceptWaiting, UnreadInputIsPossibleOnlyOnceEpollReportsIt) {
#if !defined(BOOST_ASIO_HAS_EPOLL)
  GTEST_SKIP() << "only the epoll reactor keeps the mark";
#endif
  AcceptedPair r;
  ASSERT_EQ(r.accept_and_read("GET / HTTP/1.1"), "GET / HTTP/1.1");
  EXPECT_FALSE(may_have_unread_input(r.server())) << "the read emptied the socket";
  r.run_ready();
  EXPECT_FALSE(may_have_unread_input(r.server())) << "and epoll has nothing to report";
  r.client_sends("GET / HTTP/1.1");
  r.run_ready();
  EXPECT_TRUE(may_have_unread_input(r.server())) << "epoll reported the next request";
}

TEST(AcceptWaiting, AClientsFinCountsAsInputToo) {
#if !defined(BOOST_ASIO_HAS_EPOLL)
  GTEST_SKIP() << "only the epoll reactor keeps the mark";
#endif
  AcceptedPair r;
  ASSERT_EQ(r.accept_and_read("GET / HTTP/1.1"), "GET / HTTP/1.1");
  r.client_shuts_down();
  r.run_ready();
  EXPECT_TRUE(may_have_unread_input(r.server()));
}

// Whether `fd` is in the interest list of one of this process's epoll
// instances, as /proc/self/fdinfo lists them ("tfd: N events: ...").
bool epoll_watches(int fd) {
  for (const auto& link : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    if (std::filesystem::read_symlink(link.path(), ec).string() != "anon_inode:[eventpoll]") {
      continue;
    }
    std::ifstream info("/proc/self/fdinfo/" + link.path().filename().string());
    for (std::string line; std::getline(info, line);) {
      int watched = -1;
      if (std::sscanf(line.c_str(), "tfd: %d", &watched) == 1 && watched == fd) return true;
    }
  }
  return false;
}

// Asio takes a socket that may have a duplicate out of epoll by hand before
// closing it (an epoll_ctl); one it knows has none it just closes, which
// takes it out of epoll by itself. A duplicate made here, against the rule,
// is what shows which of the two Asio did: the entry outlives the close
// only when no epoll_ctl was made.
TEST(AcceptWaiting, ClosingAnAcceptedSocketSpendsNoEpollCtl) {
#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
  GTEST_SKIP() << "the io_uring backend keeps no epoll interest list";
#endif
  asio::io_context ioc;
  tcp::acceptor listener = open_listener(ioc, "127.0.0.1", 0);
  tcp::socket client(ioc);
  client.connect(listener.local_endpoint());
  tcp::socket by_asio = listener.accept();
  client.close();
  client.connect(listener.local_endpoint());
  tcp::endpoint peer;
  boost::system::error_code ec;
  tcp::socket by_accept4 = accept_waiting(listener, peer, ec);
  ASSERT_FALSE(ec) << ec.message();

  const int asio_fd = by_asio.native_handle();
  const int accept4_fd = by_accept4.native_handle();
  ASSERT_TRUE(epoll_watches(accept4_fd)) << "Asio registers the socket as it takes it";
  const int asio_dup = ::dup(asio_fd);
  const int accept4_dup = ::dup(accept4_fd);
  by_asio.close();
  by_accept4.close();
  EXPECT_FALSE(epoll_watches(asio_fd)) << "Asio's own accept: taken out by hand";
  EXPECT_TRUE(epoll_watches(accept4_fd)) << "accept_waiting(): left to the close";
  ::close(asio_dup);
  ::close(accept4_dup);
}

}  // namespace
}  // namespace coroserve
