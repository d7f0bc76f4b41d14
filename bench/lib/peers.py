"""The servers the benchmarks measure, each on a free loopback port.

A peer knows its command line, which process serves (whose RSS and syscalls
are counted) and which processes to charge for CPU. start() waits, bounded,
until GET /plaintext answers "Hello, World!"; running() starts a set of peers
for a `with` block and stops them however it ends.
"""
import contextlib
import os
import shlex
import time

from . import processes
from .paths import DEBIAN_PYTHON, PEERS, coroserve_binary

HELLO = b"Hello, World!"
START_TIMEOUT_S = 15


class Server:
    stop_timeout_s = 5  # after SIGTERM, before SIGKILL

    def __init__(self, name, label, work):
        self.name = name
        self.label = label
        self.work = work
        self.port = processes.free_port()
        self.proc = None
        self.cmd = None
        self.cafile = None  # set by a peer that serves HTTPS: the CA to trust

    def get(self, path, timeout=1):
        return processes.http_get(self.port, path, timeout=timeout, cafile=self.cafile)

    def command(self):
        raise NotImplementedError

    def log_path(self):
        return os.path.join(self.work, f"{self.name}.log")

    def start(self):
        self.cmd = self.command()
        self.proc = processes.spawn(self.cmd, self.log_path())
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                status, body = self.get("/plaintext")
            except OSError:
                time.sleep(0.1)
                continue
            if status == 200 and body == HELLO:
                return self
            raise RuntimeError(f"{self.name}: /plaintext gave {status} {body[:80]!r}")
        with open(self.log_path(), errors="replace") as f:
            tail = f.read()[-2000:]
        raise RuntimeError(f"{self.name} did not come up on 127.0.0.1:{self.port}:\n{tail}")

    def pid(self):
        """The process that serves (whose RSS and syscalls are measured)."""
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            processes.stop(self.proc, timeout=self.stop_timeout_s)
            self.proc = None

    def cpu(self):
        """(user, system) CPU seconds of the server's processes: its whole
        process group."""
        return processes.group_cpu(self.proc.pid)

    def url(self, path="/plaintext"):
        scheme = "https" if self.cafile else "http"
        return f"{scheme}://127.0.0.1:{self.port}{path}"


class Coroserve(Server):
    def __init__(self, name, work, binary=None, workers=1, args=("--max-connections", "30000")):
        super().__init__(name, f"coroserve --workers {workers}", work)
        self.binary = binary or coroserve_binary()
        self.workers = workers
        self.args = list(args)

    def command(self):
        return [self.binary, "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(self.workers)] + self.args

    def cpu(self):
        """One process, every thread: utime and stime from /proc/PID/stat."""
        return processes.proc_cpu(self.proc.pid)


class BareBeast(Server):
    def __init__(self, work, build):
        super().__init__("bare_beast", "bare Beast loop", work)
        self.build = build

    def command(self):
        return [os.path.join(self.build, "bench", "bare_beast"), "--port", str(self.port)]


class Nginx(Server):
    """nginx from one of bench/peers' configurations, with its port and a
    private prefix (a temporary directory) filled in."""

    def __init__(self, work, conf="nginx-plaintext.conf", prefix=None, name="nginx", fill=None):
        super().__init__(name, "nginx, 1 worker", work)
        self.conf = conf
        self.prefix = prefix or os.path.join(work, name)
        self.fill = dict(fill or {})  # more __PLACEHOLDERS__ of the configuration

    def command(self):
        os.makedirs(self.prefix, exist_ok=True)
        with open(os.path.join(PEERS, self.conf)) as f:
            conf = f.read().replace("__PORT__", str(self.port)).replace("__PREFIX__", self.prefix)
        for key, value in self.fill.items():
            conf = conf.replace(f"__{key}__", value)
        path = os.path.join(self.prefix, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return ["nginx", "-p", self.prefix, "-c", path]

    def pid(self):
        # The master only supervises; the one worker serves.
        master = self.proc.pid
        with open(f"/proc/{master}/task/{master}/children") as f:
            kids = [int(x) for x in f.read().split()]
        if len(kids) != 1:
            raise RuntimeError(f"nginx: expected one worker, found {kids}")
        return kids[0]


class Node(Server):
    def __init__(self, work):
        super().__init__("node", "Node.js http", work)

    def command(self):
        return ["node", os.path.join(PEERS, "node_plaintext.js"), str(self.port)]


class Aiohttp(Server):
    def __init__(self, work, workers):
        super().__init__("aiohttp", f"aiohttp + ProcessPoolExecutor({workers})", work)
        self.workers = workers

    def command(self):
        return [DEBIAN_PYTHON, os.path.join(PEERS, "aiohttp_server.py"), "--port", str(self.port),
                "--workers", str(self.workers)]


@contextlib.contextmanager
def running(*servers, commands=None):
    """Starts the servers in order and stops them all when the block ends.
    `commands` (a dict) keeps the first command line seen for each name."""
    try:
        for s in servers:
            s.start()
            if commands is not None:
                commands.setdefault(s.name, shlex.join(s.cmd))
        yield servers
    finally:
        for s in servers:
            s.stop()
