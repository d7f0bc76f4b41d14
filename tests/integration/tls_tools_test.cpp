// The real coroserve binary over HTTPS, reached by the tools people use:
// curl, Python's ssl module and openssl s_client (refused versions, ALPN,
// the chain). And what happens at start with a certificate or key that
// cannot be used (exit 2, naming the file), and at SIGHUP.
#include <csignal>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/files.hpp"
#include "tests/support/http.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/server_stats.hpp"
#include "tests/support/tls_certs.hpp"
#include "tests/support/tls_checks.hpp"
#include "tests/support/wait.hpp"

namespace coroserve::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// A coroserve on HTTPS with the ECDSA certificate (or `cert`/`key`), its
// admin port on a free port, and `extra` flags.
struct HttpsProcess {
  explicit HttpsProcess(const std::string& cert = test_certs().ecdsa_cert,
                        const std::string& key = test_certs().ecdsa_key,
                        std::vector<std::string> extra = {})
      : admin(unused_port()), server(COROSERVE_BINARY, flags(cert, key, admin, std::move(extra))) {}
  static std::vector<std::string> flags(const std::string& cert, const std::string& key,
                                        std::uint16_t admin, std::vector<std::string> extra) {
    extra.insert(extra.begin(),
                 {"--tls-cert", cert, "--tls-key", key, "--admin-port", std::to_string(admin)});
    return extra;
  }
  std::string url(const std::string& path, const char* host = "localhost") const {
    return "https://" + std::string(host) + ":" + std::to_string(server.port()) + path;
  }
  std::uint16_t admin;
  ServerProcess server;
};

RunOutput curl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/usr/bin/curl", "-sS", "--max-time", "20"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_capture(argv, 30s);
}

RunOutput s_client(std::uint16_t port, const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/bin/sh", "-c",
                                "openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                                    " -servername localhost -CAfile " + test_certs().ca};
  for (const auto& a : args) argv[2] += " " + a;
  argv[2] += " </dev/null 2>&1";
  return run_capture(argv, 30s);
}

TEST(TlsTools, CurlIsServedOverHttpsAndPlainCurlIsToldWhy) {
  HttpsProcess p;
  const auto& ca = test_certs().ca;
  auto ok = curl({"--cacert", ca, "-w", " %{http_version}", p.url("/plaintext")});
  EXPECT_TRUE(ok.status.success()) << ok.err;
  EXPECT_EQ(ok.out, "Hello, World! 1.1");  // ALPN chose HTTP/1.1 over curl's h2
  auto v12 = curl({"--cacert", ca, "--tls-max", "1.2", p.url("/healthz", "127.0.0.1")});
  EXPECT_EQ(v12.out, "{\"status\":\"ok\"}\n") << v12.err;
  auto v11 = curl({"--cacert", ca, "--tlsv1.1", "--tls-max", "1.1", p.url("/plaintext")});
  EXPECT_FALSE(v11.status.success()) << "TLS 1.1 was served";
  auto plain = curl({"http://127.0.0.1:" + std::to_string(p.server.port()) + "/plaintext"});
  EXPECT_THAT(plain.out, HasSubstr("plain_http_to_https_port"));
}

// The server's stderr line that starts the access-log entry of `id`, or "".
std::string access_line(const ServerProcess& server, const std::string& id) {
  const std::string text = server.stderr_text();
  const auto at = text.find(" access id=" + id + " ");
  return at == std::string::npos ? "" : text.substr(at, text.find('\n', at) - at);
}

// Its head is never parsed, so the client's X-Request-Id is not taken: the
// 400 carries one the server made, and the access log shows it.
TEST(TlsTools, PlainHttpToTheHttpsPortIsOneAccessLogLine) {
  HttpsProcess p(test_certs().ecdsa_cert, test_certs().ecdsa_key, {"--access-log"});
  RawClient c(p.server.port());
  c.send(get_request("/plaintext", "X-Request-Id: from-client\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r) << "no answer";
  EXPECT_EQ(r->result_int(), 400u);
  const std::string id((*r)["X-Request-Id"]);
  ASSERT_EQ(id.size(), 16u);
  ASSERT_TRUE(wait_until([&] { return !access_line(p.server, id).empty(); }, 10s,
                         "the 400's access-log line"))
      << p.server.stderr_text();
  EXPECT_THAT(access_line(p.server, id), HasSubstr(" method=- target=\"-\" status=400 "));
}

TEST(TlsTools, PythonSslModuleChecksNamesVersionsAlpnAndResumption) {
  HttpsProcess p;
  auto run = run_capture({"/usr/bin/python3", COROSERVE_TESTS_DIR "/tls/python_client.py",
                          std::to_string(p.server.port()), test_certs().ca},
                         60s);
  EXPECT_TRUE(run.status.success()) << run.out << run.err << p.server.stderr_text();
  EXPECT_THAT(run.out, HasSubstr("ok   TLSv1_3 session resumed"));
}

TEST(TlsTools, OpensslSClientSeesTheChainAlpnAndRefusedVersions) {
  HttpsProcess p;
  const auto port = p.server.port();
  auto ok = s_client(port, {"-alpn", "http/1.1", "-verify_return_error"});
  EXPECT_THAT(ok.out, HasSubstr("ALPN protocol: http/1.1"));
  EXPECT_THAT(ok.out, HasSubstr("Verify return code: 0 (ok)"));
  EXPECT_THAT(ok.out, HasSubstr("1 s:CN = coroserve development intermediate CA"));
  for (const char* version : {"-tls1", "-tls1_1"}) {
    auto refused = s_client(port, {version, "-cipher", "DEFAULT@SECLEVEL=0"});
    EXPECT_THAT(refused.out, HasSubstr("alert protocol version")) << version;
  }
  auto h2 = s_client(port, {"-alpn", "h2"});
  EXPECT_THAT(h2.out, HasSubstr("no application protocol"));
}

RunOutput start_with(const std::vector<std::string>& args) {
  std::vector<std::string> argv{COROSERVE_BINARY, "--port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_capture(argv, 20s);
}

void expect_exit_2(const RunOutput& run, const std::string& says) {
  EXPECT_TRUE(run.status.exited && run.status.code == 2) << run.status.describe() << run.err;
  EXPECT_THAT(run.out + run.err, HasSubstr(says));
}

TEST(TlsTools, AnUnusableCertificateOrKeyIsAnErrorAtStartNamingTheFile) {
  const auto& c = test_certs();
  TempDir dir;
  write_file(dir.file("garbage.pem"), "not a certificate\n");
  expect_exit_2(start_with({"--tls-cert", dir.file("missing.crt"), "--tls-key", c.ecdsa_key}),
                "--tls-cert " + dir.file("missing.crt") + ": cannot read it: No such file");
  expect_exit_2(start_with({"--tls-cert", c.ecdsa_cert, "--tls-key", dir.file("missing.key")}),
                "--tls-key " + dir.file("missing.key") + ": cannot read it");
  expect_exit_2(start_with({"--tls-cert", dir.file("garbage.pem"), "--tls-key", c.ecdsa_key}),
                "--tls-cert " + dir.file("garbage.pem") + ": no usable PEM certificate");
  expect_exit_2(start_with({"--tls-cert", c.ecdsa_cert, "--tls-key", dir.file("garbage.pem")}),
                "no usable PEM private key");
  const auto encrypted = run_capture(
      {"/bin/sh", "-c", "openssl pkey -in \"$0\" -aes256 -passout pass:secret -out \"$1\"",
       c.ecdsa_key, dir.file("encrypted.key")},
      20s);
  ASSERT_TRUE(encrypted.status.success()) << encrypted.err;
  expect_exit_2(start_with({"--tls-cert", c.ecdsa_cert, "--tls-key", dir.file("encrypted.key")}),
                "--tls-key " + dir.file("encrypted.key") + ": the key is encrypted");
  expect_exit_2(
      start_with({"--tls-cert", c.ecdsa_cert, "--tls-key", c.rsa_key}),
      "--tls-key " + c.rsa_key + ": does not match the certificate in --tls-cert " + c.ecdsa_cert);
  expect_exit_2(start_with({"--tls-cert", c.ecdsa_cert}), "--tls-cert is given without --tls-key");
}

TEST(TlsTools, EnvironmentVariablesNameTheCertificateAndKey) {
  TempDir dir;
  const auto& c = test_certs();
  auto proc = Process::spawn(
      {{COROSERVE_BINARY},
       {"COROSERVE_HOST=127.0.0.1", "COROSERVE_PORT=0", "COROSERVE_PORT_FILE=" + dir.file("port"),
        "COROSERVE_TLS_CERT=" + c.rsa_cert, "COROSERVE_TLS_KEY=" + c.rsa_key},
       dir.file("out"),
       dir.file("err")});
  auto port = wait_for_port_file(dir.file("port"), 10s, &proc);
  ASSERT_TRUE(port) << read_file(dir.file("err"));
  RawClient client(*port, trusting_client());
  EXPECT_TRUE(plaintext_served(client));
  EXPECT_TRUE(proc.stop().success());
}

// SIGHUP reloads the files: a good pair is taken by new handshakes, a bad
// one is logged and the old context stays; connections stay open.
TEST(TlsTools, SighupReloadsTheCertificateAndKeepsTheOldOneWhenTheNewIsBad) {
  TempDir dir;
  const auto& c = test_certs();
  std::filesystem::copy_file(c.ecdsa_cert, dir.file("cert.pem"));
  std::filesystem::copy_file(c.ecdsa_key, dir.file("key.pem"));
  HttpsProcess p(dir.file("cert.pem"), dir.file("key.pem"));
  RawClient open(p.server.port(), trusting_client());
  ASSERT_TRUE(plaintext_served(open));
  const auto reloads = [&](const char* result) {
    return metric_sample(metrics_text(p.admin),
                         std::string("coroserve_tls_reloads_total{result=\"") + result + "\"}")
        .value_or(-1);
  };
  write_file(dir.file("key.pem"), "broken\n");
  p.server.process().send_signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return reloads("failed") == 1; }, 10s, "a failed reload"));
  EXPECT_TRUE(wait_until(
      [&] {
        return p.server.stderr_text().find("not reloaded, the old one stays") != std::string::npos;
      },
      10s, "the failed reload in the log"));
  expect_serving_https(p.server.port());
  std::filesystem::copy_file(c.ecdsa_key, dir.file("key.pem"),
                             std::filesystem::copy_options::overwrite_existing);
  p.server.process().send_signal(SIGHUP);
  ASSERT_TRUE(wait_until([&] { return reloads("ok") == 1; }, 10s, "a reload"));
  EXPECT_TRUE(plaintext_served(open)) << "the connection open across the reloads";
  EXPECT_TRUE(p.server.stop().success()) << p.server.stderr_text();
}

}  // namespace
}  // namespace coroserve::test
