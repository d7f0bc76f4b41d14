"""The measures of `make bench`, in the order they run.

A measure is a function  measure(ctx) -> result  (a dict, or None to leave it
out); run_all() stores each result in the results under its key, and the
rows of the table (lib/rows.py) read them. Adding a measure means writing one
function here, adding one (key, function) line to MEASURES, and adding one row
function to lib/rows.py.

Contenders that must be compared share their rounds (lib/stats.interleave):
such a measure is a function  cases(ctx, servers) -> [(key, run)]  and the
function of its group interleaves every case of the group (see plaintext.py).
"""
import dataclasses

from .. import peers
from ..load import Runner
from . import (conn_cycles, cpu, idle, micro, overload, plaintext, reuse_port, syscalls, tls,
               tls_idle, worker_sched)

MEASURES = [
    ("plaintext_runs", plaintext.plaintext_runs),
    ("syscalls", syscalls.syscall_counts),
    ("idle_rss", idle.idle_rss),
    ("conn_cycles", conn_cycles.conn_cycles),
    ("cpu_runs", cpu.cpu_runs),
    ("sleep_runs", cpu.split_latency),
    ("worker_sched", worker_sched.worker_sched_runs),
    ("overload", overload.overload_runs),
    ("tls", tls.tls_runs),
    ("tls_idle", tls_idle.tls_idle_rss),
    ("reuse_port", reuse_port.reuse_port_runs),
    ("micro", micro.micro_benchmarks),
]


@dataclasses.dataclass
class Context:
    """What every measure needs: the binaries, a work directory for logs, the
    load generators and the settings (rounds, durations, sizes)."""
    build: str
    work: str
    runner: Runner
    settings: dict
    micro: bool = True
    server_commands: dict = dataclasses.field(default_factory=dict)

    def running(self, *servers):
        """Starts servers for a `with` block, recording their command lines."""
        return peers.running(*servers, commands=self.server_commands)


def run_all(ctx, res, only=None):
    for key, measure in MEASURES:
        if only is not None and key not in only:
            continue
        result = measure(ctx)
        if result is not None:
            res[key] = result
    return res
