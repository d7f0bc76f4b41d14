// The TLS record layer both binaries use (common/tls), on its own: two
// streams, a server's and a client's, over a real loopback connection in one
// io_context. The handshake operation, reads and writes larger than its
// ciphertext buffers, the record buffers kept and given back, close_notify,
// and a certificate the client does not trust.
#include <gtest/gtest.h>
#include <malloc.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>

#include <array>
#include <cstdlib>

#include <chrono>
#include <memory>
#include <string>

#include "common/tls/tls_ops.hpp"
#include "server/tls/context.hpp"
#include "tests/support/tls_certs.hpp"

namespace coroserve::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using tls::TlsStream;
using namespace std::chrono_literals;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using ClientContext = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

// A client context that trusts `ca` (none: trusts nothing) and checks the
// name "localhost", as corobench's does.
ClientContext client_context(const std::string& ca) {
  ClientContext ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  if (!ca.empty()) SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr);
  return ctx;
}

// A TLS stream and its socket as one Asio AsyncWriteStream, for async_write.
struct WriteStream {
  using executor_type = tcp::socket::executor_type;
  TlsStream& tls;
  tcp::socket& socket;
  executor_type get_executor() { return socket.get_executor(); }
  template <class Buffers, class Token>
  auto async_write_some(const Buffers& buffers, Token&& token) {
    return tls::async_write_some(tls, socket, buffers, std::forward<Token>(token));
  }
};

// A server and a client stream over one connected pair of sockets. Each
// test's two sides are named lambdas, alive until run() returns: a
// coroutine lambda reads its captures through the lambda object.
class RecordLayer : public ::testing::Test {
 protected:
  void connect(const std::string& trusted_ca) {
    const auto& certs = test_certs();
    server_ctx_ = tls::make_context({certs.ecdsa_cert, certs.ecdsa_key});
    client_ctx_ = client_context(trusted_ca);
    tcp::acceptor acceptor(io_, {asio::ip::make_address("127.0.0.1"), 0});
    client_socket_.connect(acceptor.local_endpoint());
    acceptor.accept(server_socket_);
    server_ = std::make_unique<TlsStream>(server_ctx_.get(), TlsStream::Role::server);
    client_ = std::make_unique<TlsStream>(client_ctx_.get(), TlsStream::Role::client);
    SSL_set1_host(client_->ssl(), "localhost");
  }

  // Runs both sides' coroutines to their end, bounded.
  void run(asio::awaitable<void> server_side, asio::awaitable<void> client_side) {
    asio::co_spawn(io_, std::move(server_side), asio::detached);
    asio::co_spawn(io_, std::move(client_side), asio::detached);
    io_.run_for(20s);
    ASSERT_TRUE(io_.stopped()) << "the two sides did not finish within 20 s";
  }

  asio::awaitable<boost::system::error_code> handshake(TlsStream& tls, tcp::socket& socket) {
    auto [ec] = co_await tls::async_handshake(tls, socket, kTuple);
    co_return ec;
  }

  asio::awaitable<boost::system::error_code> write_all(TlsStream& tls, tcp::socket& socket,
                                                       std::string bytes) {
    asio::const_buffer rest = asio::buffer(bytes);
    while (rest.size() != 0) {
      auto [ec, n] = co_await tls::async_write_some(tls, socket, rest, kTuple);
      if (ec) co_return ec;
      rest += n;
    }
    co_return boost::system::error_code{};
  }

  // Reads until `want` bytes came or the stream ended; the end in `ec`.
  asio::awaitable<std::string> read_up_to(TlsStream& tls, tcp::socket& socket, std::size_t want,
                                          boost::system::error_code& ec) {
    std::string got;
    char chunk[4096];
    while (got.size() < want) {
      auto [e, n] = co_await tls::async_read_some(tls, socket, asio::buffer(chunk), kTuple);
      got.append(chunk, n);
      if (e) {
        ec = e;
        break;
      }
    }
    co_return got;
  }

  asio::io_context io_;
  tcp::socket server_socket_{io_}, client_socket_{io_};
  tls::ContextPtr server_ctx_;
  ClientContext client_ctx_{nullptr, &SSL_CTX_free};
  std::unique_ptr<TlsStream> server_, client_;
};

// More than either ciphertext buffer holds, so that writes wait for the
// socket and reads span several records.
std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST_F(RecordLayer, BothRolesHandshakeAndBytesCrossBothWaysWhole) {
  connect(test_certs().ca);
  const std::string request = pattern(100);
  const std::string answer = pattern(3 * TlsStream::kOutputBytes + 123);
  boost::system::error_code server_hs, client_hs, server_read, client_read, server_write;
  std::string server_got, client_got;
  auto server_side = [&]() -> asio::awaitable<void> {
    server_hs = co_await handshake(*server_, server_socket_);
    if (server_hs) co_return;
    server_got = co_await read_up_to(*server_, server_socket_, request.size(), server_read);
    server_write = co_await write_all(*server_, server_socket_, answer);
  };
  auto client_side = [&]() -> asio::awaitable<void> {
    client_hs = co_await handshake(*client_, client_socket_);
    if (client_hs) co_return;
    co_await write_all(*client_, client_socket_, request);
    client_got = co_await read_up_to(*client_, client_socket_, answer.size(), client_read);
  };
  run(server_side(), client_side());
  ASSERT_FALSE(server_hs) << server_hs.message();
  ASSERT_FALSE(client_hs) << client_hs.message();
  EXPECT_EQ(SSL_get_verify_result(client_->ssl()), X509_V_OK);
  EXPECT_FALSE(server_read) << server_read.message();
  EXPECT_EQ(server_got, request);
  EXPECT_FALSE(server_write) << server_write.message();
  EXPECT_FALSE(client_read) << client_read.message();
  EXPECT_EQ(client_got.size(), answer.size());
  EXPECT_TRUE(client_got == answer) << "the answer came back changed";
}

// What the server's answers do: write_now() until the socket takes no more
// (the client reads nothing yet), then an async_write of the rest, which
// must take up exactly where write_now() stopped, records pending included.
TEST_F(RecordLayer, AWriteNowStoppedByAFullSocketIsFinishedByAnAsyncWrite) {
  connect(test_certs().ca);
  const std::string head = pattern(150);
  // More than a loopback connection's two socket buffers hold at their
  // largest (Linux's defaults: 4 MiB to send, 6 MiB to receive).
  const std::string body = pattern(32u << 20);
  boost::system::error_code now_ec, rest_ec, client_read;
  std::size_t taken = 0;
  std::string client_got;
  asio::steady_timer later(io_);
  auto server_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*server_, server_socket_)) co_return;
    server_socket_.non_blocking(true);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    taken = tls::write_now(*server_, server_socket_, buffers, now_ec);
    if (now_ec != asio::error::would_block) co_return;
    boost::beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(buffers);
    rest.consume(taken);
    WriteStream stream{*server_, server_socket_};
    auto [ec, n] = co_await asio::async_write(stream, rest, kTuple);
    rest_ec = ec;
  };
  auto client_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*client_, client_socket_)) co_return;
    later.expires_after(200ms);  // the server fills the socket meanwhile
    co_await later.async_wait(kTuple);
    client_got =
        co_await read_up_to(*client_, client_socket_, head.size() + body.size(), client_read);
  };
  run(server_side(), client_side());
  ASSERT_EQ(now_ec, asio::error::would_block)
      << "the socket took all 32 MiB at once: " << now_ec.message();
  EXPECT_LT(taken, head.size() + body.size());
  EXPECT_FALSE(rest_ec) << rest_ec.message();
  EXPECT_FALSE(client_read) << client_read.message();
  ASSERT_EQ(client_got.size(), head.size() + body.size());
  EXPECT_TRUE(client_got == head + body) << "the bytes came in another order";
}

// Bytes the heap holds in use now, by glibc's count.
std::size_t heap_in_use() {
  return mallinfo2().uordblks;
}

// Whether that count follows malloc here: a sanitizer's allocator keeps its
// own, and glibc's then stands still.
bool heap_count_follows_malloc() {
  const std::size_t before = heap_in_use();
  void* volatile block = std::malloc(64 * 1024);
  const std::size_t after = heap_in_use();
  std::free(block);
  return after >= before + 64 * 1024;
}

// A busy server connection keeps OpenSSL's record buffers from one request
// to the next; release_idle() gives them back with the ciphertext buffers, and the
// connection goes on as before.
TEST_F(RecordLayer, KeptRecordBuffersGoBackWhenIdleAndTheStreamGoesOn) {
  if (!heap_count_follows_malloc()) GTEST_SKIP() << "this allocator keeps its own counts";
  connect(test_certs().ca);
  server_->keep_record_buffers(true);
  std::size_t kept = 0, released = 0;
  std::string server_got, client_got;
  boost::system::error_code server_read, client_read;
  auto server_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*server_, server_socket_)) co_return;
    for (const char* answer : {"first", "second"}) {
      server_got += co_await read_up_to(*server_, server_socket_, 3, server_read);
      if (server_read || co_await write_all(*server_, server_socket_, answer)) co_return;
      if (!kept) {
        kept = heap_in_use();
        server_->release_idle();
        released = heap_in_use();
      }
    }
  };
  auto client_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*client_, client_socket_)) co_return;
    for (const std::size_t want : {5, 6}) {
      if (co_await write_all(*client_, client_socket_, "ask")) co_return;
      client_got += co_await read_up_to(*client_, client_socket_, want, client_read);
      if (client_read) co_return;
    }
  };
  run(server_side(), client_side());
  EXPECT_FALSE(server_read) << server_read.message();
  EXPECT_FALSE(client_read) << client_read.message();
  EXPECT_EQ(server_got, "askask");
  EXPECT_EQ(client_got, "firstsecond");
  // The ciphertext buffers (kInputBytes + kOutputBytes) and two record
  // buffers of about 17 KiB each; with the record buffers given back after
  // each record, the ciphertext buffers alone.
  const std::size_t ciphertext = TlsStream::kInputBytes + TlsStream::kOutputBytes;
  ASSERT_GT(kept, released) << "release_idle() gave nothing back";
  EXPECT_GE(kept - released, ciphertext + 2 * 16 * 1024)
      << "the record buffers were not kept, or not given back";
}

TEST_F(RecordLayer, CloseNotifyEndsThePeersReadWithEof) {
  connect(test_certs().ca);
  boost::system::error_code client_read;
  std::string client_got;
  auto server_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*server_, server_socket_)) co_return;
    co_await write_all(*server_, server_socket_, "last words");
    server_->close_notify();
    boost::system::error_code ignored;
    server_->push(server_socket_, ignored);
  };
  auto client_side = [&]() -> asio::awaitable<void> {
    if (co_await handshake(*client_, client_socket_)) co_return;
    client_got = co_await read_up_to(*client_, client_socket_, 1000, client_read);
  };
  run(server_side(), client_side());
  EXPECT_EQ(client_got, "last words");
  EXPECT_EQ(client_read, asio::error::eof) << client_read.message();
}

TEST_F(RecordLayer, AnUntrustedCertificateFailsTheClientsHandshakeAndTheServerHearsWhy) {
  connect("");  // trusts no CA
  boost::system::error_code server_hs, client_hs;
  auto server_side = [&]() -> asio::awaitable<void> {
    server_hs = co_await handshake(*server_, server_socket_);
  };
  auto client_side = [&]() -> asio::awaitable<void> {
    client_hs = co_await handshake(*client_, client_socket_);
  };
  run(server_side(), client_side());
  ASSERT_TRUE(client_hs) << "a certificate from an unknown CA was accepted";
  EXPECT_EQ(&client_hs.category(), &tls::tls_category()) << client_hs.message();
  EXPECT_NE(SSL_get_verify_result(client_->ssl()), X509_V_OK);
  // The client's alert went out before its handshake ended.
  ASSERT_TRUE(server_hs) << "the server's handshake succeeded";
  EXPECT_EQ(&server_hs.category(), &tls::tls_category()) << server_hs.message();
}

}  // namespace
}  // namespace coroserve::test
