// A TLS connection's life after its handshake, against an in-process
// server: the client watch tells a close_notify from pipelined requests,
// idle connections park and wake, renegotiation is refused, a close_notify
// between requests closes quietly, and the connection bounds
// (--max-connections, --max-pending-handshakes) close newcomers without a
// handshake and count them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_checks.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;

// The client sends close_notify and closes while its CPU request waits in
// the queue: the watch reads the alert (not request data) and the queued
// work is skipped.
TEST(TlsConnection, ACloseNotifyWhileWorkWaitsSkipsTheWork) {
  Config cfg = tls_test_config();
  cfg.workers = 1;
  TestServer server{cfg};
  // Both handshakes first: with one worker they would wait for the CPU work.
  // The client's side of a handshake ends before the server's last step, so
  // the leaver's first answer is what shows that the server's side is done.
  RawClient running(server.port(), trusting_client());
  auto leaver = std::make_unique<RawClient>(server.port(), trusting_client());
  ASSERT_TRUE(plaintext_served(*leaver));
  ASSERT_TRUE(occupy_a_worker(server, running));
  {
    leaver->send(get_request(kHeavyCpuTarget));
    ASSERT_TRUE(wait_for_pool(server, "the second request queued",
                              [](const PoolStats& s) { return s.queued == 1; }));
    leaver->tls()->close_notify();
    leaver.reset();
  }
  auto r = running.read_response(120s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200u);
  ASSERT_TRUE(wait_for_pool(
      server, "the leaver's task skipped",
      [](const PoolStats& s) { return s.skipped == 1 && pool_idle(s); }, 30s));
}

// Pipelined requests sent while a CPU request is handled are request data:
// the client is there, nothing is skipped, every answer comes in order.
TEST(TlsConnection, PipelinedRequestsDuringWorkAreNotTakenForALeavingClient) {
  TestServer server{tls_test_config()};
  RawClient c(server.port(), trusting_client());
  c.send(get_request("/cpu/primes?n=3000000"));
  c.send(get_request("/plaintext") + get_request("/healthz"));
  auto first = c.read_response(60s);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->result_int(), 200u);
  EXPECT_EQ(c.read_response().value().body(), "Hello, World!");
  EXPECT_EQ(c.read_response().value().body(), "{\"status\":\"ok\"}\n");
  EXPECT_EQ(server.server().pool_stats().skipped, 0u);
}

TEST(TlsConnection, IdleConnectionsParkAndTheirNextRequestIsServed) {
  Config cfg = tls_test_config();
  cfg.idle_park = 50ms;
  TestServer server{cfg};
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<RawClient>(server.port(), trusting_client()));
    ASSERT_TRUE(plaintext_served(*clients.back()));
  }
  const auto admin = server.server().admin_port();
  ASSERT_TRUE(wait_until([&] { return connection_count(admin, "parked") == 3; }, 5s,
                         "3 parked TLS connections"));
  for (auto& c : clients) {
    ASSERT_TRUE(plaintext_served(*c));
    c->send(get_request("/plaintext") + get_request("/healthz"));
    EXPECT_EQ(c->read_response().value().result(), http::status::ok);
    EXPECT_EQ(c->read_response().value().result(), http::status::ok);
  }
}

// The client asks for a new handshake on an established TLS 1.2
// connection; the server answers with a no_renegotiation alert, which ends
// the client's attempt (TLS 1.3 has no renegotiation at all).
TEST(TlsConnection, RenegotiationIsRefused) {
  TestServer server{tls_test_config()};
  auto o = trusting_client();
  o.max_version = TLS1_2_VERSION;
  RawClient c(server.port(), o);
  ASSERT_TRUE(plaintext_served(c));
  SSL* ssl = c.tls()->ssl();
  ASSERT_EQ(SSL_renegotiate(ssl), 1);
  ERR_clear_error();
  std::string outcome = "no answer within 10 s";
  const auto deadline = Clock::now() + 10s;
  while (Clock::now() < deadline) {
    const int r = SSL_do_handshake(ssl);
    if (r == 1) {
      outcome = "completed";
      break;
    }
    const int err = SSL_get_error(ssl, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      outcome = tls_error_text();
      break;
    }
    pollfd p{c.fd(), POLLIN, 0};
    ::poll(&p, 1, 50);
  }
  EXPECT_THAT(outcome, ::testing::HasSubstr("no renegotiation"));
  expect_serving_https(server.port());
}

TEST(TlsConnection, ACloseNotifyBetweenRequestsClosesQuietly) {
  TestServer server{tls_test_config()};
  RawClient c(server.port(), trusting_client());
  ASSERT_TRUE(plaintext_served(c));
  c.tls()->close_notify();
  EXPECT_TRUE(c.closed_by_server());
  ASSERT_TRUE(
      wait_until([&] { return connection_count(server.server().admin_port(), "open") == 1; }, 5s,
                 "only the /stats connection open"));
}

// A client that asks for a large answer and reads none of it: with TLS the
// records wait in the server's ciphertext buffer and socket as the bytes of a plain
// answer would, and the write timeout ends the connection all the same.
TEST(TlsConnection, AReaderThatNeverReadsIsClosedAtTheWriteTimeout) {
  Config cfg = tls_test_config();
  cfg.write_timeout = 1000ms;
  constexpr std::size_t kBody = 16u << 20;  // more than the socket buffers hold unread
  cfg.max_body_bytes = kBody;
  TestServer server{cfg};
  RawClient c(server.port(), trusting_client());
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(kBody) + "\r\n\r\n" +
         std::string(kBody, 'z'));
  std::this_thread::sleep_for(2500ms);  // well past the write timeout and its sweep
  const std::string got = c.read_until_close(10s);
  EXPECT_TRUE(c.closed_by_server(1s)) << "the server kept the connection open";
  EXPECT_LT(got.size(), kBody) << "the whole answer fitted in the buffers: the test proves "
                                  "nothing; raise kBody";
  expect_serving_https(server.port());
}

// On the TLS port a newcomer past --max-connections is closed at once,
// before any handshake (a 503 would need one), and counted.
TEST(TlsConnection, ConnectionsPastMaxConnectionsCloseWithoutAHandshake) {
  Config cfg = tls_test_config();
  cfg.max_connections = 2;
  TestServer server{cfg};
  RawClient a(server.port(), trusting_client()), b(server.port(), trusting_client());
  ASSERT_TRUE(plaintext_served(a));
  ASSERT_TRUE(plaintext_served(b));
  EXPECT_THROW(RawClient(server.port(), trusting_client()), std::runtime_error);
  EXPECT_EQ(connection_count(server.server().admin_port(), "rejected"), 1);
  a.close();
  ASSERT_TRUE(wait_until(
      [&] {
        try {
          RawClient c(server.port(), trusting_client());
          return static_cast<bool>(plaintext_served(c));
        } catch (const std::exception&) {
          return false;
        }
      },
      5s, "a place freed for a new connection"));
}

// A new connection that has sent `bytes` (a ClientHello) and waits.
std::unique_ptr<RawClient> hello_from_newcomer(TestServer& server, const std::string& bytes) {
  auto c = std::make_unique<RawClient>(server.port());
  c->send(bytes);
  return c;
}

// The only worker busy with a CPU request of about a second and one
// handshake step queued behind it: true when so arranged, false when the
// request ended before the step came (a loaded machine). A wait that runs
// out is a test failure.
::testing::AssertionResult a_step_waits_behind_cpu_work(
    TestServer& server, const std::string& hello, std::unique_ptr<RawClient>& busy,
    std::vector<std::unique_ptr<RawClient>>& kept) {
  busy = std::make_unique<RawClient>(server.port(), trusting_client());
  auto ok = occupy_a_worker(server, *busy);
  if (!ok) ADD_FAILURE() << ok.message();
  if (!ok) return ok;
  kept.push_back(hello_from_newcomer(server, hello));
  ok = wait_for_pool(
      server, "a handshake step waiting, or the worker free",
      [](const PoolStats& s) { return s.urgent_queued == 1 || s.busy == 0; }, 30s);
  if (!ok) ADD_FAILURE() << ok.message();
  if (!ok) return ok;
  if (server.server().pool_stats().urgent_queued == 1) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the CPU request ended before the step came";
}

// One worker, whose CPU request handshake steps wait behind. A waiting step
// must outlast the checks however slow the build (sanitizers): its
// handshake may not time out meanwhile.
Config one_worker_tls_config() {
  Config cfg = tls_test_config();
  cfg.workers = 1;
  cfg.tls_handshake_timeout = 120s;
  return cfg;
}

// What a test checks once a step waits behind the CPU request: false when
// the request ended before the checks could tell, so nothing was judged.
struct WaitingStep {
  TestServer& server;
  const std::string& hello;  // a ClientHello, for more newcomers
  RawClient& busy;           // its CPU request holds the only worker
  RawClient& newcomer;       // whose handshake step waits
};
using Judge = std::function<bool(const WaitingStep&)>;

// The CPU request may end, on a loaded machine, before the step comes or
// before the checks are done: then the arrangement is made again, at most 5
// times, and only one in which the worker stayed busy throughout is judged.
// Every newcomer stays open to the end.
void judge_a_waiting_step(TestServer& server, const Judge& judge) {
  const auto hello = client_hello(trusting_client());
  ASSERT_FALSE(hello.empty());
  std::unique_ptr<RawClient> busy;
  std::vector<std::unique_ptr<RawClient>> kept;
  bool judged = false;
  for (int attempt = 0; attempt < 5 && !judged; ++attempt) {
    if (busy) {
      ASSERT_TRUE(busy->read_response(120s)) << "the CPU request of an earlier attempt";
    }
    if (!a_step_waits_behind_cpu_work(server, hello, busy, kept)) continue;
    judged = judge({server, hello, *busy, *kept.back()});
  }
  ASSERT_TRUE(judged) << "5 times the CPU request ended before the checks could tell";
}

// Handshake steps wait for the worker, at most --max-pending-handshakes of
// them; the next newcomers are closed and counted, and the one waiting is
// served once the worker is free.
TEST(TlsConnection, HandshakesPastMaxPendingHandshakesAreClosedAndCounted) {
  Config cfg = one_worker_tls_config();
  cfg.max_pending_handshakes = 1;
  TestServer server{cfg};
  judge_a_waiting_step(server, [](const WaitingStep& w) {
    const auto before = w.server.server().pool_stats();
    const auto overloaded = handshakes(w.server, "overloaded");
    std::vector<std::unique_ptr<RawClient>> refused;
    for (int i = 0; i < 3; ++i) refused.push_back(hello_from_newcomer(w.server, w.hello));
    EXPECT_TRUE(wait_for_pool(
        w.server, "3 newcomers refused, or the CPU request done", [&](const PoolStats& s) {
          return s.urgent_rejected >= before.urgent_rejected + 3 || s.done > before.done;
        }));
    const auto after = w.server.server().pool_stats();
    if (after.done != before.done) return false;  // the step did not wait all along
    EXPECT_EQ(after.urgent_rejected, before.urgent_rejected + 3);
    for (auto& r : refused) EXPECT_TRUE(r->closed_by_server(10s));
    EXPECT_TRUE(handshakes_reach(w.server, "overloaded", overloaded + 3));
    EXPECT_TRUE(w.busy.read_response(120s));
    // The waiting step takes the worker next; a newcomer before that would
    // be past the bound of one.
    EXPECT_TRUE(wait_for_pool(w.server, "the waiting handshake step taken",
                              [](const PoolStats& s) { return s.urgent_queued == 0; }));
    return true;
  });
  expect_serving_https(server.port());
}

std::int64_t skipped_steps(TestServer& server) {
  const auto stats = stats_json(server.server().admin_port());
  return stats.at("tls").at("skipped_steps").to_number<std::int64_t>();
}

// A newcomer that leaves while its handshake step waits for the worker: the
// loop sees the socket closed and the step does no public-key work.
TEST(TlsConnection, AStepWhoseClientHasLeftIsSkipped) {
  TestServer server{one_worker_tls_config()};
  judge_a_waiting_step(server, [](const WaitingStep& w) {
    const auto before = w.server.server().pool_stats();
    const auto gone = handshakes(w.server, "client_gone");
    const auto skipped = skipped_steps(w.server);
    w.newcomer.close();
    // One request through the loop: it has seen the FIN by the answer.
    EXPECT_EQ(skipped_steps(w.server), skipped);
    if (w.server.server().pool_stats().done != before.done) return false;
    EXPECT_TRUE(w.busy.read_response(120s));
    EXPECT_TRUE(handshakes_reach(w.server, "client_gone", gone + 1));
    EXPECT_EQ(skipped_steps(w.server), skipped + 1);
    return true;
  });
  expect_serving_https(server.port());
}

}  // namespace
}  // namespace coroserve::test
