#pragma once
// Tests that run real binaries: spawn a process with its output captured to
// files, signal it, wait for it with a timeout, run one to completion, and
// start a coroserve on an ephemeral port.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/files.hpp"

namespace coroserve::test {

// How a process ended.
struct ExitStatus {
  bool exited = false;  // by exit(); else killed by `signal`
  int code = -1;
  int signal = 0;
  bool success() const { return exited && code == 0; }
  std::string describe() const;  // "exit 0", "signal 9"
};

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the path of the program
  std::vector<std::string> env;   // "NAME=value", added to (or overriding) this environment
  std::string stdout_path;        // empty: inherit
  std::string stderr_path;        // empty: inherit
};

// A child process. The destructor kills (SIGKILL) and reaps it if it still
// runs, so a failing test never leaves one behind.
class Process {
 public:
  // Throws std::runtime_error when it cannot start.
  static Process spawn(const SpawnOptions& opts);

  Process(Process&& o) noexcept;
  Process& operator=(Process&& o) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  // False once it has ended (and been reaped).
  bool running();
  void send_signal(int sig);
  // Waits up to `timeout`; nullopt if it still runs then.
  std::optional<ExitStatus> wait_for(std::chrono::milliseconds timeout);
  // SIGTERM, up to `grace` to exit, then SIGKILL.
  ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
  // The status once ended (after running() returned false or a wait).
  const std::optional<ExitStatus>& status() const { return status_; }

 private:
  explicit Process(pid_t pid) : pid_(pid) {}
  bool reap(int flags);

  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
};

// Runs a program to completion (killed after `timeout`), capturing its output.
struct RunOutput {
  ExitStatus status;
  std::string out;
  std::string err;
  bool timed_out = false;
  double seconds = 0;
};
RunOutput run_capture(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                      const std::vector<std::string>& env = {});

// Waits until `path` holds a port number (decimal text; the same number read
// twice, so a half-written file is not taken). nullopt on timeout or when
// `proc` (if given) exits first.
std::optional<std::uint16_t> wait_for_port_file(const std::string& path,
                                                std::chrono::milliseconds timeout,
                                                Process* proc = nullptr);

// A loopback port that nothing listens on (bound, then released).
std::uint16_t unused_port();

// A coroserve started on 127.0.0.1 with --port 0 --port-file; stopped with
// SIGTERM at the end. Its stdout/stderr go to files in its temp dir, printed
// by describe() for failure messages.
class ServerProcess {
 public:
  // `binary`: path of coroserve; `extra_args` are appended. Throws
  // std::runtime_error (with the server's stderr) if it does not come up.
  explicit ServerProcess(const std::string& binary, std::vector<std::string> extra_args = {},
                         unsigned workers = 2,
                         std::chrono::milliseconds startup = std::chrono::seconds(10));
  ~ServerProcess();
  std::uint16_t port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  Process& process() { return proc_; }
  std::string stderr_text() const { return read_file(dir_.file("stderr.txt")); }
  ExitStatus stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

 private:
  TempDir dir_;
  Process proc_;
  std::uint16_t port_ = 0;
};

}  // namespace coroserve::test
