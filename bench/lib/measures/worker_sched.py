"""The workers' scheduling policy: --worker-sched other (nice 10), batch
(nice 10) and idle, each a coroserve --workers 2, interleaved. In each run a
corobench keeps 4 /cpu/primes requests in flight (the pool saturated) while
the /io/sleep?ms=10 probe runs at 200 req/s: the probe's p99 says how well
the loop thread keeps its core, the primes rate what the pool still gets
done. The rest of the machine's load (others_cores) is part of the result:
SCHED_IDLE workers give way to every other process, not only to the loop.
"""
from .. import processes, stats
from ..paths import coroserve_binary
from ..peers import Coroserve
from .cpu import SLEEP, _check_primes, _saturated_probe

POLICIES = [("other", ["--worker-sched", "other", "--worker-nice", "10"]),
            ("batch", ["--worker-sched", "batch", "--worker-nice", "10"]),
            ("idle", ["--worker-sched", "idle"])]


def _case(ctx, policy, server):
    def probe(label):
        return ctx.runner.corobench_run(f"{label} {policy}", server.url(SLEEP),
                                        ctx.settings["cpu_duration_s"], connections=16,
                                        rate=200, server=server)

    return (policy, lambda: _saturated_probe(ctx, server, probe))


def worker_sched_runs(ctx):
    rounds = ctx.settings["cpu_rounds"]
    servers = {policy: Coroserve(f"coroserve_sched_{policy}", ctx.work,
                                 coroserve_binary(ctx.build), 2,
                                 args=["--max-connections", "30000"] + args)
               for policy, args in POLICIES}
    processes.log(f"== worker scheduling: p99 of {SLEEP} (-R 200) with the pool saturated, "
                  f"--worker-sched {' / '.join(servers)}, {rounds} rounds")
    with ctx.running(*servers.values()):
        for s in servers.values():
            _check_primes(s)
        return stats.interleave(rounds, [_case(ctx, p, s) for p, s in servers.items()])
