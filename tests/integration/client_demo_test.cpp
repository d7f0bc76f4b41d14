// corobench demo against real coroserves: the five phases over plain HTTP,
// and over HTTPS the handshake storm, beside a server that runs its
// handshakes on the loop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>

#include "tests/integration/client_run.hpp"
#include "tests/support/files.hpp"
#include "tests/support/process.hpp"
#include "tests/support/tls_certs.hpp"

namespace {

namespace json = boost::json;
using corobench::test::u;
using coroserve::test::read_file;
using coroserve::test::ServerProcess;
using coroserve::test::TempDir;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class ClientDemo : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(COROSERVE_BINARY)) {
      GTEST_SKIP() << "coroserve not built at " << COROSERVE_BINARY;
    }
  }

  // A coroserve on HTTPS with the tests' ECDSA certificate.
  static std::unique_ptr<ServerProcess> https_server(const char* handshake_on) {
    const auto& certs = coroserve::test::test_certs();
    return std::make_unique<ServerProcess>(
        COROSERVE_BINARY,
        std::vector<std::string>{"--tls-cert", certs.ecdsa_cert, "--tls-key", certs.ecdsa_key,
                                 "--tls-handshake-on", handshake_on});
  }

  static std::string https_url(const ServerProcess& s) {
    return "https://127.0.0.1:" + std::to_string(s.port());
  }

  static coroserve::test::RunOutput demo(std::vector<std::string> args) {
    args.insert(args.begin(), {COROBENCH_BINARY, "demo"});
    auto r = coroserve::test::run_capture(args, 120s);
    EXPECT_TRUE(r.status.success()) << r.status.describe() << "\n" << r.out << "\n" << r.err;
    return r;
  }
};

TEST_F(ClientDemo, PrintsTheTableAndWritesTheSvg) {
  ServerProcess server(COROSERVE_BINARY);
  TempDir dir;
  const auto r = demo({server.base_url(), "--phase", "1s", "--svg", dir.file("demo.svg"), "--json",
                       dir.file("demo.json")});
  EXPECT_THAT(r.out, HasSubstr("I/O alone"));
  EXPECT_THAT(r.out, HasSubstr("I/O + CPU on the loop"));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("handshake")));
  EXPECT_THAT(read_file(dir.file("demo.svg")), HasSubstr("<svg"));
  const auto out = json::parse(read_file(dir.file("demo.json"))).as_object();
  EXPECT_EQ(out.at("rows").as_array().size(), 5u);
  EXPECT_EQ(u(out.at("workers")), 2u);
  EXPECT_TRUE(out.at("tls_handshake_on").is_null());
}

TEST_F(ClientDemo, OverHttpsNewConnectionsHandshakeOnThePoolAndOnTheLoop) {
  const auto pool = https_server("pool");
  const auto loop = https_server("loop");
  TempDir dir;
  const auto r =
      demo({https_url(*pool), "--cacert", coroserve::test::test_certs().ca, "--storm-compare",
            https_url(*loop), "--phase", "1s", "--json", dir.file("demo.json")});
  EXPECT_THAT(r.out, HasSubstr("I/O + handshakes on the pool"));
  EXPECT_THAT(r.out, HasSubstr("I/O + handshakes on the loop"));
  EXPECT_THAT(r.out, HasSubstr("new connections/s handshake"));
  const auto out = json::parse(read_file(dir.file("demo.json"))).as_object();
  EXPECT_EQ(out.at("tls_handshake_on"), "pool");
  const auto& rows = out.at("rows").as_array();
  ASSERT_EQ(rows.size(), 7u);
  for (std::size_t i : {5u, 6u}) {
    const auto& row = rows[i].as_object();
    EXPECT_GT(row.at("tls_handshakes_per_s").to_number<double>(), 0.0) << i;
    EXPECT_GE(row.at("io_requests_per_s").to_number<double>(), 0.0) << i;
    EXPECT_EQ(u(row.at("errors")), 0u) << i;
  }
  // With handshakes on the pool the loop keeps serving I/O. On the loop, a
  // storm may starve it for the whole phase on a slow build: that is the
  // cost the row shows, so only the pool row must have served I/O.
  EXPECT_GT(rows[5].as_object().at("io_requests_per_s").to_number<double>(), 0.0);
}

TEST_F(ClientDemo, TlsFlagsNeedHttpsUrls) {
  ServerProcess server(COROSERVE_BINARY);
  for (const auto& args : std::vector<std::vector<std::string>>{
           {COROBENCH_BINARY, "demo", server.base_url(), "--insecure"},
           {COROBENCH_BINARY, "demo", server.base_url(), "--storm-compare",
            "https://127.0.0.1:1"}}) {
    const auto r = coroserve::test::run_capture(args, 30s);
    EXPECT_EQ(r.status.code, 2) << r.out << r.err;
    EXPECT_THAT(r.err, HasSubstr("https://"));
  }
}

}  // namespace
