"""The pieces of coroserve's benchmarks, shared by every script in bench/.

paths       where things are (repository, peers, results)
processes   start, bound, stop and clean up child processes; /proc reads
peers       the servers measured: coroserve, bare Beast, nginx, Node, aiohttp
load        the load generators (wrk, corobench) and what one run measured
stats       medians, quantiles, interleaved rounds, per-round ratios
machine     the build step, the machine's description, the fd limit
measures/   one function per measure of `make bench`
rows        one function per row of the table
report      latest.md, latest.json and the console table
ab          the A/B mode: two coroserve binaries, interleaved
"""
