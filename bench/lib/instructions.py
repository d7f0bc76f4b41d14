"""User-space instructions per kept-alive GET /plaintext, counted by
valgrind's callgrind on the serving process, over HTTP or, for a peer that
serves HTTPS, over HTTPS (the record layer's own cost per request; the
CONNECTIONS handshakes cancel out with the start).

CPU time on a shared machine moves by ±10% from run to run, which hides the
few percent a change to the request path makes; an instruction count comes
out the same every run. It leaves out the kernel (the TCP path, most of a
request's CPU), so it measures what the server's own code costs, which is
where coroserve and nginx differ once their syscalls are even.

Each server runs twice under callgrind, answering FEW and then MANY
requests from one corobench; the difference of the two totals over MANY -
FEW cancels the start and the stop. nginx runs without its master process,
so that the one process counted is the one that serves.

Under valgrind the server runs many times slower, so the requests of many
connections interleave differently than in a real run. Code whose cost
depends on that interleaving counts differently: Asio's cache of coroutine
frames, shared by every session, is one. Check a change that moves
allocations with a real run too (uprobes on malloc, docs/performance.md).
"""
import os
import re
import shutil

from .peers import Coroserve, Nginx, Server, running

FEW, MANY = 2_000, 12_000
CONNECTIONS = 8
_COLLECTED = re.compile(r"Collected : (\d+)")


def available():
    return shutil.which("valgrind") is not None


class UnderCallgrind(Server):
    """A peer whose command runs under callgrind, on the peer's own port."""

    stop_timeout_s = 60  # callgrind writes its totals as the process exits

    def __init__(self, peer, tag):
        super().__init__(f"{peer.name}_callgrind_{tag}", peer.label, peer.work)
        self.peer = peer
        peer.port = self.port
        self.cafile = peer.cafile  # an HTTPS peer is counted over HTTPS

    def command(self):
        out = os.path.join(self.work, f"{self.name}.out")
        one_process = ["-g", "master_process off;"] if isinstance(self.peer, Nginx) else []
        return (["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] +
                self.peer.command() + one_process)

    def collected(self):
        with open(self.log_path(), errors="replace") as f:
            found = _COLLECTED.findall(f.read())
        if not found:
            raise RuntimeError(f"{self.name}: no callgrind total in {self.log_path()}")
        return int(found[-1])


def _total(make_peer, runner, requests, tag):
    server = UnderCallgrind(make_peer(), tag)
    with running(server):
        trust = ["--cacert", server.cafile] if server.cafile else []
        r = runner.corobench_run(f"instructions {server.name}", server.url(), record=False,
                                 connections=CONNECTIONS, requests=requests, extra=trust)
        if r["requests"] != requests or r["errors"]:
            raise RuntimeError(f"{server.name}: {r['requests']} of {requests} answered, "
                               f"{r['errors']} errors")
    return server.collected()


def per_request(make_peer, runner):
    """Instructions per request of the server `make_peer()` builds (a new
    peer each call: each run needs its own port)."""
    few = _total(make_peer, runner, FEW, "few")
    many = _total(make_peer, runner, MANY, "many")
    return (many - few) / (MANY - FEW)


def coroserve(work, binary):
    return lambda: Coroserve("coroserve", work, binary)


def nginx(work):
    return lambda: Nginx(work)
