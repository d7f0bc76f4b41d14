#include "tests/support/tls_server.hpp"

#include <chrono>
#include <sstream>
#include <stdexcept>

#include "tests/support/tls_certs.hpp"
#include "tests/support/wait.hpp"

namespace corobench::test {

using namespace std::chrono_literals;
using coroserve::test::read_file;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

// The server: HTTP/1.1 with keep-alive; /status/NNN answers NNN, anything
// else 200. Each handshake runs in the connection's own thread and is
// logged as a line "sni resumed" (flushed at once, for the test to read).
constexpr const char* kServer = R"PY(
import http.server, socket, ssl, sys, threading
cert, key, host, port_file, log_path = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
names = threading.local()
def on_sni(sslobj, name, c):
    names.sni = name or "-"
ctx.sni_callback = on_sni
log = open(log_path, "a", buffering=1)
lock = threading.Lock()

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        status = int(self.path[8:]) if self.path.startswith("/status/") else 200
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def finish_request(self, request, client_address):
        names.sni = "-"
        try:
            tls = ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with lock:
            log.write("%s %d\n" % (names.sni, 1 if tls.session_reused else 0))
        self.RequestHandlerClass(tls, client_address, self)

srv = Server((host, 0), Handler)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
)PY";

}  // namespace

TlsTestServer::TlsTestServer(const std::string& host)
    : dir_("corobench-tls-server"),
      proc_(coroserve::test::Process::spawn(
          {.argv = {kPython, "-c", kServer, coroserve::test::test_certs().ecdsa_cert,
                    coroserve::test::test_certs().ecdsa_key, host, dir_.file("port"),
                    dir_.file("handshakes")},
           .env = {},
           .stdout_path = dir_.file("stdout"),
           .stderr_path = dir_.file("stderr")})) {
  const auto port = coroserve::test::wait_for_port_file(dir_.file("port"), 20s, &proc_);
  if (!port)
    throw std::runtime_error("TLS test server did not start: " + read_file(dir_.file("stderr")));
  port_ = *port;
}

TlsTestServer::~TlsTestServer() {
  proc_.stop(2s);
}

std::vector<Handshake> TlsTestServer::handshakes() const {
  std::istringstream in(read_file(dir_.file("handshakes")));
  std::vector<Handshake> out;
  std::string sni;
  int resumed = 0;
  while (in >> sni >> resumed) out.push_back({sni, resumed == 1});
  return out;
}

bool TlsTestServer::wait_for_handshakes(std::size_t n) const {
  return static_cast<bool>(
      coroserve::test::wait_until([&] { return handshakes().size() >= n; }, 10s, "handshakes"));
}

}  // namespace corobench::test
