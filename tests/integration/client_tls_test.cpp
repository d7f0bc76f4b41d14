// corobench over HTTPS against a local TLS server with a throwaway CA: the
// certificate checks (by name, by address, refused without the CA), SNI,
// session resumption on and off, and the phases reported apart.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <functional>
#include <thread>

#include "tests/integration/client_run.hpp"
#include "tests/support/files.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_server.hpp"

namespace {

using corobench::test::Bench;
using corobench::test::corobench;
using corobench::test::expect_counts_add_up;
using corobench::test::TlsTestServer;
using corobench::test::u;
using corobench::test::why;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

// The tests' CA, which signed the server's certificate.
std::string test_ca() {
  return coroserve::test::test_certs().ca;
}

TEST(ClientTls, ByNameTheCertificateIsCheckedAndTheNameSentAsSni) {
  TlsTestServer srv;
  const Bench b = corobench(
      {"--cacert", test_ca(), "-c", "2", "-t", "1", "-n", "40", srv.url("localhost", "/x")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  expect_counts_add_up(b.result);
  EXPECT_EQ(u(b.result.at("status").at("200")), 40u);
  const auto& tls = b.result.at("tls").as_object();
  EXPECT_EQ(u(tls.at("handshakes")), 2u);  // one per connection, keep-alive
  EXPECT_TRUE(tls.at("verify").as_bool());
  EXPECT_THAT(std::string(tls.at("protocol").as_string()), HasSubstr("TLSv1."));
  const auto& phases = b.result.at("phases_us").as_object();
  for (const char* p : {"connect", "tls_handshake", "first_byte"}) {
    EXPECT_TRUE(phases.contains(p)) << p;
  }
  EXPECT_EQ(u(phases.at("tls_handshake").at("count")), 2u);
  EXPECT_EQ(u(phases.at("first_byte").at("count")), 40u);
  EXPECT_THAT(b.run.out, HasSubstr("\n  handshake "));
  EXPECT_THAT(b.run.out, HasSubstr("\nTLS:          TLSv1."));
  // The reachability check's handshake, then the run's two.
  ASSERT_TRUE(srv.wait_for_handshakes(3));
  for (const auto& h : srv.handshakes()) EXPECT_EQ(h.sni, "localhost");
}

TEST(ClientTls, ByAddressNoSniIsSentAndTheAddressIsChecked) {
  TlsTestServer srv;
  const Bench b = corobench({"--cacert", test_ca(), "-c", "1", "-n", "10", srv.url("127.0.0.1")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 10u);
  ASSERT_TRUE(srv.wait_for_handshakes(2));
  for (const auto& h : srv.handshakes()) EXPECT_EQ(h.sni, "-");
}

TEST(ClientTls, WithoutItsCaTheCertificateIsRefusedBeforeTheRun) {
  TlsTestServer srv;
  const Bench b = corobench({"-n", "10", srv.url("localhost")}, 20s);
  EXPECT_EQ(b.run.status.code, 1) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("the server's certificate was not accepted"));
  EXPECT_THAT(b.run.err, HasSubstr("--cacert"));
  EXPECT_TRUE(b.result.empty());
}

TEST(ClientTls, AnAddressTheCertificateDoesNotNameIsRefused) {
  TlsTestServer srv("127.0.0.2");
  const Bench b = corobench({"--cacert", test_ca(), "-n", "10", srv.url("127.0.0.2")}, 20s);
  EXPECT_EQ(b.run.status.code, 1) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("mismatch"));
  // The CA is trusted already: the hint is about the name, not --cacert.
  EXPECT_THAT(b.run.err, HasSubstr("does not name the host"));
  EXPECT_THAT(b.run.err, Not(HasSubstr("--cacert")));
}

// The TCP connect succeeds (the kernel completes it for a listener that never
// accepts): what got no answer is the handshake, and the message says so.
TEST(ClientTls, AServerSilentAfterTheConnectIsNamedAsAHandshakeWithoutAnswer) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string url = "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  const Bench b = corobench({"--insecure", "-n", "1", url + "/"}, 20s);
  EXPECT_EQ(b.run.status.code, 1) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("connected, but the TLS handshake had no answer within"));
}

// A plain HTTP server answers the ClientHello with an HTTP answer: the
// message points at the scheme.
TEST(ClientTls, APlainHttpServerIsNamedAsNotSpeakingTls) {
  namespace asio = boost::asio;
  asio::io_context ioc;
  asio::ip::tcp::acceptor plain(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  std::function<void()> serve = [&] {
    plain.async_accept([&](boost::system::error_code ec, asio::ip::tcp::socket s) {
      if (ec) return;
      boost::system::error_code ignored;
      asio::write(s, asio::buffer(std::string_view("HTTP/1.1 400 Bad Request\r\n\r\n")), ignored);
      s.close(ignored);
      serve();
    });
  };
  serve();
  std::thread server([&] { ioc.run(); });
  const std::string url = "https://127.0.0.1:" + std::to_string(plain.local_endpoint().port());
  const Bench b = corobench({"--insecure", "-n", "1", url + "/"}, 20s);
  ioc.stop();
  server.join();
  EXPECT_EQ(b.run.status.code, 1) << why(b);
  EXPECT_THAT(b.run.err, HasSubstr("does not speak TLS there: an http:// URL?"));
}

TEST(ClientTls, InsecureAcceptsAnyCertificate) {
  TlsTestServer srv("127.0.0.2");
  const Bench b = corobench({"--insecure", "-c", "1", "-n", "10", srv.url("127.0.0.2")});
  ASSERT_TRUE(b.run.status.success()) << why(b);
  EXPECT_EQ(u(b.result.at("responses")), 10u);
  EXPECT_FALSE(b.result.at("tls").at("verify").as_bool());
}

TEST(ClientTls, WithoutKeepaliveEveryRequestHandshakesAndResumesUnlessTold) {
  for (const char* resume : {"on", "off"}) {
    TlsTestServer srv;
    const Bench b = corobench({"--cacert", test_ca(), "--no-keepalive", "--tls-resume", resume,
                               "-c", "1", "-n", "20", srv.url("localhost")});
    ASSERT_TRUE(b.run.status.success()) << why(b);
    const auto& tls = b.result.at("tls").as_object();
    EXPECT_EQ(u(tls.at("handshakes")), 20u);
    ASSERT_TRUE(srv.wait_for_handshakes(21));
    std::uint64_t resumed_seen = 0;
    for (const auto& h : srv.handshakes()) resumed_seen += h.resumed ? 1 : 0;
    // The chain is verified in full once, in the check before the run; a
    // full handshake after it shows the same chain and is let through on
    // that. A resumed one shows none.
    EXPECT_EQ(u(tls.at("chains_verified")), 1u);
    if (std::string(resume) == "on") {
      // The first connection has nothing to resume; every later one does.
      EXPECT_EQ(u(tls.at("resumed")), 19u);
      EXPECT_EQ(resumed_seen, 19u);
      EXPECT_EQ(u(tls.at("chains_remembered")), 1u);
    } else {
      EXPECT_EQ(u(tls.at("resumed")), 0u);
      EXPECT_EQ(resumed_seen, 0u);
      EXPECT_EQ(u(tls.at("chains_remembered")), 20u);
    }
  }
}

// Requests are written in a plain call, and what the socket does not take
// at once is sent once it drains: a body of 8 MiB is more than a loopback
// socket takes at once, and it must arrive whole, over TLS and without. The
// echo sends it back, as large.
TEST(ClientTls, ARequestLargerThanTheSocketTakesAtOnceIsSentWhole) {
  constexpr std::size_t kBody = 8u << 20;
  coroserve::test::TempDir dir;
  const std::string body = dir.path() + "/body";
  coroserve::test::write_file(body, std::string(kBody, 'x'));
  for (const bool tls : {false, true}) {
    coroserve::Config c = tls ? coroserve::test::tls_test_config() : coroserve::test::test_config();
    c.max_body_bytes = 2 * kBody;
    coroserve::test::TestServer server{c};
    const std::string port = std::to_string(server.port());
    std::vector<std::string> args = {"-m", "POST", "--body-file", body, "-c", "2", "-n", "6"};
    if (tls) args.insert(args.end(), {"--cacert", test_ca()});
    args.push_back((tls ? "https://localhost:" : "http://127.0.0.1:") + port + "/echo");
    const Bench b = corobench(args, 60s);
    ASSERT_TRUE(b.run.status.success()) << (tls ? "https: " : "http: ") << why(b);
    EXPECT_EQ(u(b.result.at("status").at("200")), 6u) << (tls ? "https" : "http");
    EXPECT_GE(u(b.result.at("bytes_sent")), 6 * kBody);
    EXPECT_GE(u(b.result.at("bytes_received")), 6 * kBody);
  }
}

TEST(ClientTls, TlsFlagsAreCheckedUpFront) {
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const std::vector<Case> cases = {
      {{"--cacert", "/nonexistent/ca.pem", "-n", "1", "https://127.0.0.1:1/"},
       "cannot read --cacert '/nonexistent/ca.pem': No such file or directory"},
      {{"--insecure", "-n", "1", "http://127.0.0.1:1/"}, "apply to https:// URLs only"},
      {{"--tls-resume", "maybe", "-n", "1", "https://127.0.0.1:1/"}, "--tls-resume"},
      {{"--insecure", "--cacert", "x.pem", "-n", "1", "https://127.0.0.1:1/"}, "excludes"},
  };
  for (const Case& c : cases) {
    const Bench b = corobench(c.args, 10s);
    EXPECT_EQ(b.run.status.code, 2) << why(b);
    EXPECT_THAT(b.run.err, HasSubstr(c.says));
  }
}

}  // namespace
