#include "tests/support/process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <map>
#include <stdexcept>

#include "tests/support/wait.hpp"

extern char** environ;

namespace coroserve::test {

using namespace std::chrono_literals;

std::string ExitStatus::describe() const {
  return exited ? "exit " + std::to_string(code) : "signal " + std::to_string(signal);
}

Process Process::spawn(const SpawnOptions& opts) {
  if (opts.argv.empty()) throw std::runtime_error("spawn: empty argv");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!opts.stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, opts.stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!opts.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, opts.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  // The child gets this environment with `env` laid over it.
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string kv(*e);
    env[kv.substr(0, kv.find('='))] = kv;
  }
  for (const auto& kv : opts.env) env[kv.substr(0, kv.find('='))] = kv;
  std::vector<char*> envp;
  for (auto& [k, kv] : env) envp.push_back(kv.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = opts.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    throw std::runtime_error("spawn " + opts.argv[0] + ": " + std::strerror(rc));
  }
  return Process(pid);
}

Process::Process(Process&& o) noexcept : pid_(o.pid_), status_(o.status_) {
  o.pid_ = -1;
}

Process& Process::operator=(Process&& o) noexcept {
  if (this != &o) {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      reap(0);
    }
    pid_ = o.pid_;
    status_ = o.status_;
    o.pid_ = -1;
  }
  return *this;
}

Process::~Process() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    reap(0);
  }
}

bool Process::reap(int flags) {
  if (status_) return true;
  if (pid_ <= 0) return false;
  int st = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &st, flags);
  } while (r < 0 && errno == EINTR);
  if (r != pid_) return false;
  ExitStatus s;
  if (WIFEXITED(st)) {
    s.exited = true;
    s.code = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    s.signal = WTERMSIG(st);
  }
  status_ = s;
  return true;
}

bool Process::running() {
  return pid_ > 0 && !reap(WNOHANG);
}

void Process::send_signal(int sig) {
  if (running()) ::kill(pid_, sig);
}

std::optional<ExitStatus> Process::wait_for(std::chrono::milliseconds timeout) {
  if (!wait_until([this] { return reap(WNOHANG); }, timeout, "the process to exit")) {
    return std::nullopt;
  }
  return status_;
}

ExitStatus Process::stop(std::chrono::milliseconds grace) {
  send_signal(SIGTERM);
  if (auto s = wait_for(grace)) return *s;
  send_signal(SIGKILL);
  reap(0);
  return *status_;
}

RunOutput run_capture(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                      const std::vector<std::string>& env) {
  TempDir dir("run-capture");
  const auto start = std::chrono::steady_clock::now();
  Process p = Process::spawn({argv, env, dir.file("out"), dir.file("err")});
  RunOutput r;
  if (auto s = p.wait_for(timeout)) {
    r.status = *s;
  } else {
    r.timed_out = true;
    r.status = p.stop(2s);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.out = read_file(dir.file("out"));
  r.err = read_file(dir.file("err"));
  return r;
}

namespace {

std::optional<std::uint16_t> parse_port(const std::string& text) {
  std::string_view s(text);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' '))
    s.remove_suffix(1);
  unsigned v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || v == 0 || v > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(v);
}

}  // namespace

std::optional<std::uint16_t> wait_for_port_file(const std::string& path,
                                                std::chrono::milliseconds timeout, Process* proc) {
  std::optional<std::uint16_t> last, port;
  bool exited = false;
  const auto settled = [&] {
    port = parse_port(read_file(path));
    if (port && last == port) return true;
    last = port;
    exited = proc && !proc->running();
    return exited;
  };
  if (!wait_until(settled, timeout, "a port number in " + path) || exited) return std::nullopt;
  return port;
}

std::uint16_t unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("unused_port: " + std::string(strerror(errno)));
  }
  // Bound but never listening, then closed: connecting there is refused.
  ::close(fd);
  return ntohs(addr.sin_port);
}

ServerProcess::ServerProcess(const std::string& binary, std::vector<std::string> extra_args,
                             unsigned workers, std::chrono::milliseconds startup)
    : dir_("coroserve-server"), proc_([&] {
        std::vector<std::string> argv = {binary,
                                         "--host",
                                         "127.0.0.1",
                                         "--port",
                                         "0",
                                         "--port-file",
                                         dir_.file("port"),
                                         "--workers",
                                         std::to_string(workers)};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        return Process::spawn({argv, {}, dir_.file("stdout.txt"), dir_.file("stderr.txt")});
      }()) {
  const auto port = wait_for_port_file(dir_.file("port"), startup, &proc_);
  if (!port) {
    const std::string why = proc_.running() ? "no port file within the startup time"
                                            : "it exited (" + proc_.status()->describe() + ")";
    proc_.stop(2s);
    throw std::runtime_error("coroserve did not start: " + why + "; stderr:\n" + stderr_text());
  }
  port_ = *port;
}

ServerProcess::~ServerProcess() {
  if (proc_.running()) proc_.stop(10s);
}

ExitStatus ServerProcess::stop(std::chrono::milliseconds grace) {
  return proc_.stop(grace);
}

}  // namespace coroserve::test
