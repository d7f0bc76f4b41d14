"""More processes for I/O: one coroserve --workers 2 against two coroserve
--workers 1 sharing one port (--reuse-port, started by docker/processes.sh),
interleaved. wrk pipelines 16 requests per write, so that its own CPU per
request is small and the server's loop is the limit. The result also says how
the kernel spread the connections: each process's /stats, read on its own
admin port after every run.
"""
import json
import os
import socket

from .. import processes, stats
from ..paths import ROOT, coroserve_binary
from ..peers import Coroserve, Server
from .plaintext import PIPELINE

LAUNCHER = os.path.join(ROOT, "docker", "processes.sh")


def _free_port_pair():
    """A free port whose next one is free too (the launcher's admin ports)."""
    for _ in range(50):
        base = processes.free_port()
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", base + 1))
            return base
        except OSError:
            continue
    raise RuntimeError("no two consecutive free ports on 127.0.0.1")


class CoroserveProcesses(Server):
    """N coroserve processes on one port, each with its own admin port."""

    def __init__(self, name, work, binary, count):
        super().__init__(name, f"coroserve-processes {count}", work)
        self.binary, self.count = binary, count
        self.admin_base = _free_port_pair()

    def command(self):
        return ["env", f"COROSERVE_BINARY={self.binary}", "COROSERVE_WORKERS=1",
                f"COROSERVE_ADMIN_PORT={self.admin_base}", LAUNCHER, str(self.count),
                "--host", "127.0.0.1", "--port", str(self.port), "--max-connections", "30000"]

    def requests_by_process(self):
        """requests_total of each process, from its own /stats."""
        counts = []
        for i in range(self.count):
            _, body = processes.http_get(self.admin_base + i, "/stats")
            counts.append(json.loads(body)["requests_total"])
        return counts


def _case(ctx, name, server):
    def run():
        before = server.requests_by_process() if hasattr(server, "requests_by_process") else None
        r = ctx.runner.wrk_run(f"wrk {name}", server, ctx.settings["duration_s"],
                               pipeline=PIPELINE)
        if before is not None:
            after = server.requests_by_process()
            r["requests_by_process"] = [a - b for a, b in zip(after, before)]
        return r

    return (name, run)


def reuse_port_runs(ctx):
    rounds = ctx.settings["rounds"]
    binary = coroserve_binary(ctx.build)
    servers = {"one process": Coroserve("coroserve_one_process", ctx.work, binary, 2),
               "two processes": CoroserveProcesses("coroserve_two_processes", ctx.work, binary,
                                                   2)}
    processes.log(f"== more processes: GET /plaintext, wrk -t1 -c64 pipelined ×{PIPELINE}, one "
                  f"coroserve --workers 2 vs two --reuse-port --workers 1, {rounds} rounds")
    with ctx.running(*servers.values()):
        for name, s in servers.items():
            ctx.runner.wrk_run(f"warm {name}", s, 1)
        return stats.interleave(rounds, [_case(ctx, n, s) for n, s in servers.items()])
