"""RSS across a million connection open/close cycles: corobench
--no-keepalive opens, uses once and closes 100,000 connections at a time
against one coroserve, ten times (CYCLE_BATCHES), and VmRSS is read after
each batch. Memory that a closed connection leaves behind (a leak, or heap
that fragments and cannot be reused) shows as growth from one sample to the
next. The first batch warms the allocator's pools and is left out of the
spread.
"""
from .. import processes
from ..paths import coroserve_binary
from ..peers import Coroserve

BATCH = 100_000


def conn_cycles(ctx):
    batches = ctx.settings["cycle_batches"]
    server = Coroserve("coroserve_cycles", ctx.work, coroserve_binary(ctx.build), 2)
    processes.log(f"== RSS over {batches} × {BATCH:,} connection open/close cycles "
                  "(corobench --no-keepalive -c 50)")
    samples = []
    with ctx.running(server):
        for i in range(batches):
            r = ctx.runner.corobench_run("corobench --no-keepalive cycles", server.url(),
                                         None, server=server, connections=50,
                                         requests=BATCH, extra=["--no-keepalive"])
            samples.append(processes.read_rss_kib(server.pid()))
            processes.log(f"  after {(i + 1) * BATCH:>9,} cycles  VmRSS {samples[-1]:,} KiB  "
                          f"({r['rps']:,.0f} connections/s, {r['errors']} errors)")
    return {"batch": BATCH, "rss_kib": samples}
