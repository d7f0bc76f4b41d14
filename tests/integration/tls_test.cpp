// HTTPS end to end against an in-process server: requests over TLS with
// either key type and either handshake mode, the chain, ALPN, protocol
// versions, resumption by ticket, pipelining and large bodies, and the
// counters that report each handshake.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <boost/json.hpp>

#include <string>
#include <utility>

#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_checks.hpp"

namespace coroserve::test {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

struct Mode {
  bool rsa;
  const char* where;
};

std::string mode_name(const ::testing::TestParamInfo<Mode>& info) {
  return std::string(info.param.rsa ? "Rsa" : "Ecdsa") + "On" +
         (std::string_view(info.param.where) == "pool" ? "Pool" : "Loop");
}

class TlsServe : public ::testing::TestWithParam<Mode> {
 protected:
  static Config config() {
    Config c = tls_test_config(GetParam().rsa);
    c.tls_handshake_on = GetParam().where;
    return c;
  }
  TestServer server{config()};
};

TEST_P(TlsServe, KeepAliveRequestsOnOneConnection) {
  RawClient c(server.port(), trusting_client());
  EXPECT_EQ(c.tls()->version(), "TLSv1.3");
  EXPECT_EQ(c.tls()->alpn(), "http/1.1");
  EXPECT_THAT(c.tls()->peer_subject(), HasSubstr("CN=localhost"));
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(plaintext_served(c)) << "request " << i;
  c.send(get_request("/healthz"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body(), "{\"status\":\"ok\"}\n");
  EXPECT_EQ(handshakes(server, "ok"), 1);
  const auto tls = stats_json(server.server().admin_port()).at("tls");
  EXPECT_EQ(tls.at("where").as_string(), GetParam().where);
}

TEST_P(TlsServe, PipelinedRequestsAreAnsweredInOrder) {
  RawClient c(server.port(), trusting_client());
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += get_request(i % 2 ? "/healthz" : "/plaintext");
  c.send(burst);
  for (int i = 0; i < 20; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << "answer " << i;
    EXPECT_EQ(r->body(), i % 2 ? "{\"status\":\"ok\"}\n" : "Hello, World!") << "answer " << i;
  }
}

// Many records each way: the ciphertext buffers between OpenSSL and the socket are far
// smaller than these bodies.
TEST_P(TlsServe, LargeBodiesBothWays) {
  RawClient c(server.port(), trusting_client());
  std::string body(900 * 1024, 'x');
  for (std::size_t i = 0; i < body.size(); i += 7) body[i] = static_cast<char>('a' + i % 26);
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  auto r = c.read_response(60s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->result_int(), 200u);
  EXPECT_TRUE(r->body() == body) << "the echo differs (" << r->body().size() << " bytes)";
  EXPECT_TRUE(plaintext_served(c));
}

TEST_P(TlsServe, Tls12IsServed) {
  auto o = trusting_client();
  o.max_version = TLS1_2_VERSION;
  RawClient c(server.port(), o);
  EXPECT_EQ(c.tls()->version(), "TLSv1.2");
  EXPECT_TRUE(plaintext_served(c));
}

INSTANTIATE_TEST_SUITE_P(Tls, TlsServe,
                         ::testing::Values(Mode{false, "pool"}, Mode{false, "loop"},
                                           Mode{true, "pool"}, Mode{true, "loop"}),
                         mode_name);

// The client trusts the root alone: the intermediate must come from the
// server. The names in the certificate verify: DNS and the IP literal.
TEST(Tls, TheChainVerifiesByNameAndByAddress) {
  TestServer server{tls_test_config()};
  for (const char* name : {"localhost", "127.0.0.1"}) {
    auto o = trusting_client();
    o.server_name = name;
    RawClient c(server.port(), o);
    EXPECT_TRUE(plaintext_served(c)) << name;
  }
  auto wrong = trusting_client();
  wrong.server_name = "example.com";
  EXPECT_THROW(RawClient(server.port(), wrong), std::runtime_error);
}

TEST(Tls, AlpnOffersWithoutHttp1AreRefusedAndNoAlpnIsServed) {
  TestServer server{tls_test_config()};
  auto h2_only = trusting_client();
  h2_only.alpn = {"h2"};
  try {
    RawClient c(server.port(), h2_only);
    ADD_FAILURE() << "a client offering only h2 was served";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("no application protocol"));
  }
  auto none = trusting_client();
  none.alpn.clear();
  RawClient c(server.port(), none);
  EXPECT_EQ(c.tls()->alpn(), "");
  EXPECT_TRUE(plaintext_served(c));
  auto http10_only = trusting_client();
  http10_only.alpn = {"http/1.0"};
  RawClient old(server.port(), http10_only);
  EXPECT_EQ(old.tls()->alpn(), "http/1.0");
  auto both = trusting_client();
  both.alpn = {"http/1.0", "http/1.1"};
  RawClient either(server.port(), both);
  EXPECT_EQ(either.tls()->alpn(), "http/1.1");  // the server's preference
  EXPECT_TRUE(handshakes_reach(server, "failed", 1));
}

TEST(Tls, Tls10AndTls11AreRefused) {
  TestServer server{tls_test_config()};
  for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    auto o = trusting_client();
    o.legacy = true;  // so that the client offers them at all
    o.min_version = version;
    o.max_version = version;
    try {
      RawClient c(server.port(), o);
      ADD_FAILURE() << "version " << std::hex << version << " was served";
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr("protocol version"));
    }
  }
  EXPECT_TRUE(handshakes_reach(server, "failed", 2));
  expect_serving_https(server.port());
}

// Tickets: nothing is kept on the server, and a reconnecting client skips
// the certificate and the signature.
TEST(Tls, SessionsResumeWithTicketsInBothVersions) {
  TestServer server{tls_test_config()};
  for (int version : {TLS1_3_VERSION, TLS1_2_VERSION}) {
    auto o = trusting_client();
    o.max_version = version;
    TlsSession session;
    {
      RawClient first(server.port(), o);
      ASSERT_TRUE(plaintext_served(first));
      EXPECT_FALSE(first.tls()->resumed());
      session = first.tls()->session();
    }
    o.session = session;
    RawClient again(server.port(), o);
    EXPECT_TRUE(again.tls()->resumed()) << "version " << std::hex << version;
    EXPECT_TRUE(plaintext_served(again));
  }
  const auto tls = stats_json(server.server().admin_port()).at("tls");
  EXPECT_EQ(tls.at("resumed").to_number<int>(), 2);
  EXPECT_EQ(tls.at("handshakes").at("ok").to_number<int>(), 4);
}

// Steps cross to a worker only while public-key work may lie ahead: the
// first step always; a later one only in a TLS 1.2 full handshake, whose
// client key exchange comes after the server's first flight. A step after
// the server's Finished (ticket sealing, the client's Finished) stays on the
// loop.
TEST(Tls, OnlyStepsThatMayHoldPublicKeyWorkCrossToThePool) {
  TestServer server{tls_test_config()};
  for (const auto& [version, full_steps] : {std::pair{TLS1_3_VERSION, 1u}, {TLS1_2_VERSION, 2u}}) {
    auto o = trusting_client();
    o.max_version = version;
    auto before = server.server().pool_stats().done;
    TlsSession session;
    {
      RawClient first(server.port(), o);
      ASSERT_TRUE(plaintext_served(first));  // answered: every step has run
      session = first.tls()->session();
    }
    EXPECT_EQ(server.server().pool_stats().done - before, full_steps)
        << "full handshake, version " << std::hex << version;
    o.session = session;
    before = server.server().pool_stats().done;
    RawClient again(server.port(), o);
    ASSERT_TRUE(again.tls()->resumed()) << "version " << std::hex << version;
    ASSERT_TRUE(plaintext_served(again));
    EXPECT_EQ(server.server().pool_stats().done - before, 1u)
        << "resumed handshake, version " << std::hex << version;
  }
}

TEST(Tls, PlainHttpSentToTheTlsPortGets400AndIsClosed) {
  TestServer server{tls_test_config()};
  RawClient c(server.port());
  c.send(get_request("/plaintext"));
  auto r = c.read_response();
  ASSERT_TRUE(r) << "no answer";
  EXPECT_EQ(r->result_int(), 400u);
  EXPECT_EQ((*r)[http::field::content_type], "application/json");
  EXPECT_EQ((*r)["X-Request-Id"].size(), 16u);  // made: the head is not parsed
  const auto body = boost::json::parse(r->body());
  EXPECT_EQ(body.at("error").as_string(), "plain_http_to_https_port");
  EXPECT_THAT(std::string(body.at("detail").as_string()), HasSubstr("HTTPS port"));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(handshakes_reach(server, "plain_http", 1));
  expect_serving_https(server.port());
}

TEST(Tls, MetricsNameEveryHandshake) {
  TestServer server{tls_test_config()};
  expect_serving_https(server.port());
  const auto text = metrics_text(server.server().admin_port());
  EXPECT_EQ(
      metric_sample(text,
                    R"(coroserve_tls_handshakes_total{result="ok",where="pool",resumed="false"})"),
      1.0)
      << text;
  EXPECT_EQ(
      metric_sample(text, R"(coroserve_tls_handshake_duration_seconds_count{resumed="false"})"),
      1.0);
  EXPECT_EQ(metric_sample(text, R"(coroserve_tls_reloads_total{result="ok"})"), 0.0);
  EXPECT_TRUE(metric_sample(text, "coroserve_tls_handshakes_pending"));
}

// --admin-port answers in plain HTTP while --port speaks TLS, and serves
// only what probes and scrapers need.
TEST(Tls, TheAdminPortServesTheOpsEndpointsInPlainHttp) {
  TestServer server{tls_test_config()};
  const auto admin = server.server().admin_port();
  ASSERT_NE(admin, 0);
  for (const char* path : {"/healthz", "/readyz", "/metrics", "/stats", "/dashboard", "/"}) {
    EXPECT_EQ(http_get(admin, path).result_int(), 200u) << path;
  }
  EXPECT_EQ(http_get(admin, "/plaintext").result_int(), 404u);
  EXPECT_EQ(http_get(admin, "/cpu/primes?n=10").result_int(), 404u);
}

TEST(Tls, AdminConnectionsPastTheirBoundAreClosed) {
  Config cfg = tls_test_config();
  cfg.max_admin_connections = 2;
  TestServer server{cfg};
  const auto admin = server.server().admin_port();
  RawClient a(admin), b(admin);  // held open
  a.send(get_request("/healthz"));
  b.send(get_request("/healthz"));
  ASSERT_TRUE(a.read_response());
  ASSERT_TRUE(b.read_response());
  RawClient third(admin);
  EXPECT_TRUE(third.closed_by_server());
  // The service port is not affected by the admin port's bound.
  expect_serving_https(server.port());
}

}  // namespace
}  // namespace coroserve::test
