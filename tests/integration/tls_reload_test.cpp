// Certificate reload in an in-process server: the reload runs off the loop,
// new handshakes take the new certificate (a client trusting only the old
// CA now fails, one trusting the new CA succeeds), connections open across
// it keep working, a bad pair leaves the current one in place, and tickets
// issued before the reload still resume after it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/support/files.hpp"
#include "tests/support/http.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_checks.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

::testing::AssertionResult reloads_reach(TestServer& server, const char* result, double want) {
  const std::string series = std::string("coroserve_tls_reloads_total{result=\"") + result + "\"}";
  return wait_until(
      [&] { return metric_sample(metrics_text(server.server().admin_port()), series) == want; },
      10s, series + " = " + std::to_string(want));
}

TEST(TlsReload, NewHandshakesTakeTheNewPairAndOpenConnectionsStay) {
  TempDir live, next;
  const auto& first = test_certs();
  fs::copy_file(first.ecdsa_cert, live.file("cert.pem"));
  fs::copy_file(first.ecdsa_key, live.file("key.pem"));
  make_certs(next.path());  // another CA, another key
  Config cfg = tls_test_config();
  cfg.tls_cert = live.file("cert.pem");
  cfg.tls_key = live.file("key.pem");
  TestServer server{cfg};

  RawClient open(server.port(), trusting_client());
  ASSERT_TRUE(plaintext_served(open));
  const auto ticket = open.tls()->session();

  fs::copy_file(next.file("localhost-rsa.crt"), live.file("cert.pem"),
                fs::copy_options::overwrite_existing);
  fs::copy_file(next.file("localhost-rsa.key"), live.file("key.pem"),
                fs::copy_options::overwrite_existing);
  server.server().request_reload();
  ASSERT_TRUE(reloads_reach(server, "ok", 1));

  EXPECT_THROW(RawClient(server.port(), trusting_client()), std::runtime_error)
      << "a client of the old CA still accepted the server";
  auto trusts_next = trusting_client();
  trusts_next.ca_file = next.file("ca.crt");
  {
    RawClient fresh(server.port(), trusts_next);
    EXPECT_TRUE(plaintext_served(fresh));
  }
  EXPECT_TRUE(plaintext_served(open)) << "the connection open across the reload";

  // The ticket keys carried over: a ticket from before resumes.
  auto resuming = trusting_client();
  resuming.session = ticket;
  RawClient again(server.port(), resuming);
  EXPECT_TRUE(again.tls()->resumed());

  // A bad pair: logged, counted, and the current certificate stays.
  write_file(live.file("key.pem"), "not a key\n");
  server.server().request_reload();
  ASSERT_TRUE(reloads_reach(server, "failed", 1));
  RawClient after(server.port(), trusts_next);
  EXPECT_TRUE(plaintext_served(after));
}

// A pair out of its validity period would make every handshake fail: the
// reload refuses it, counted, and the current pair keeps serving.
TEST(TlsReload, AnExpiredCertificateIsRefusedAndTheCurrentOneStays) {
  TempDir live;
  const auto& first = test_certs();
  fs::copy_file(first.ecdsa_cert, live.file("cert.pem"));
  fs::copy_file(first.ecdsa_key, live.file("key.pem"));
  Config cfg = tls_test_config();
  cfg.tls_cert = live.file("cert.pem");
  cfg.tls_key = live.file("key.pem");
  TestServer server{cfg};
  write_expired_pair(live.file("cert.pem"), live.file("key.pem"));
  server.server().request_reload();
  ASSERT_TRUE(reloads_reach(server, "failed", 1));
  RawClient after(server.port(), trusting_client());
  EXPECT_TRUE(plaintext_served(after)) << "the valid certificate was replaced";
}

}  // namespace
}  // namespace coroserve::test
