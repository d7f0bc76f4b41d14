"""The load generators: Debian's wrk and coroserve's own corobench.

Each run is bounded in time, writes its output to the work directory, and
returns one dict: req/s, requests, errors, and CPU per request of the server
(its processes' utime + stime from /proc over the run, and the user part
apart), of the tool itself
(from wait4), and the cores the rest of the machine kept busy meanwhile.
"""
import json
import os
import re
import shlex
import time

from . import processes
from .paths import BENCH, corobench_binary


class Runner:
    def __init__(self, work, build):
        self.work = work
        self.wrk = "wrk"
        self.corobench = corobench_binary(build)
        self.commands = {}  # label -> one exact command line, for the report
        self.loads = []     # the 1-minute load average before each run
        self.n = 0

    def out_path(self, tag):
        self.n += 1
        return os.path.join(self.work, f"run{self.n:03d}-{tag}.txt")

    def _timed(self, cmd, limit, out, server):
        """Runs cmd bounded; returns (exit code, CPU seconds of the tool, of
        the server, of the server in user space, wall seconds, cores busy
        with anything else)."""
        self.loads.append(float(processes.loadavg()[0]))
        user0, sys0 = server.cpu() if server else (0.0, 0.0)
        busy0, t0 = processes.machine_busy_s(), time.monotonic()
        code, tool_cpu = processes.run_bounded(cmd, limit, out)
        user1, sys1 = server.cpu() if server else (0.0, 0.0)
        server_user = user1 - user0
        server_cpu = server_user + sys1 - sys0
        wall = time.monotonic() - t0
        others = (processes.machine_busy_s() - busy0 - server_cpu - tool_cpu) / wall
        return code, tool_cpu, server_cpu, server_user, wall, others

    def wrk_run(self, label, server, duration, connections=64, threads=1, pipeline=None):
        url = server.url()
        cmd = [self.wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
        if pipeline:
            cmd += ["-s", os.path.join(BENCH, "pipeline.lua"), url, "--", str(pipeline)]
        else:
            cmd += [url]
        self.commands.setdefault(label, shlex.join(cmd))
        out = self.out_path("wrk")
        code, tool_cpu, server_cpu, server_user, wall, others = self._timed(
            cmd, duration + 15, out, server)
        with open(out) as f:
            text = f.read()
        rps, requests, errors = parse_wrk(text)
        if code != 0 or rps is None:
            raise RuntimeError(f"wrk failed ({code}): {shlex.join(cmd)}\n{text[-1500:]}")
        return {"rps": rps, "requests": requests, "errors": errors,
                "server_cpu_us_per_req": server_cpu * 1e6 / max(1, requests),
                "server_user_us_per_req": server_user * 1e6 / max(1, requests),
                "server_cores": server_cpu / wall, "others_cores": others,
                "tool_cpu_us_per_req": tool_cpu * 1e6 / max(1, requests)}

    def corobench_cmd(self, url, js, duration=None, connections=64, threads=1, pipeline=None,
                      rate=None, requests=None, warmup=None, mix=None, extra=()):
        cmd = [self.corobench, "--no-progress", "-c", str(connections), "-t", str(threads)]
        cmd += list(extra)
        for flag, value in (("-d", duration and f"{duration}s"), ("-n", requests),
                            ("--pipeline", pipeline), ("-R", rate),
                            ("--warmup", warmup and f"{warmup}s"), ("--mix", mix)):
            if value is not None and value != 0:
                cmd += [flag, str(value)]
        return cmd + ["--json", js, url]

    def corobench_run(self, label, url, duration=None, record=True, server=None, **opts):
        """One corobench run; opts as corobench_cmd's. With server=None the
        server's CPU is not read (and counts as other processes')."""
        out = self.out_path("corobench")
        js = out.replace(".txt", ".json")
        cmd = self.corobench_cmd(url, js, duration, **opts)
        if record:
            self.commands.setdefault(label, shlex.join(cmd).replace(js, "OUT.json"))
        limit = (duration or 0) + (opts.get("warmup") or 0) + 30
        code, tool_cpu, server_cpu, server_user, wall, others = self._timed(
            cmd, limit, out, server)
        try:
            with open(js) as f:
                r = json.load(f)
        except (OSError, ValueError):
            with open(out, errors="replace") as f:
                raise RuntimeError(f"corobench failed ({code}): {shlex.join(cmd)}\n"
                                   f"{f.read()[-1500:]}")
        n = max(1, r["responses"])
        lat = r.get("latency_us", {})
        # Answers that did the work: a shed 503 comes back fast and must not
        # count as throughput.
        rps = r.get("goodput_per_s", r["requests_per_s"])
        return {"rps": rps, "requests": r["responses"],
                "server_cpu_us_per_req": server_cpu * 1e6 / n if server else None,
                "server_user_us_per_req": server_user * 1e6 / n if server else None,
                "server_cores": server_cpu / wall if server else None,
                "others_cores": others if server else None,
                "errors": r["errors"]["total"], "non_2xx": non_2xx(r),
                "tool_cpu_us_per_req": tool_cpu * 1e6 / n,
                "p50_ms": lat.get("p50", 0) / 1000, "p99_ms": lat.get("p99", 0) / 1000,
                "p999_ms": lat.get("p99.9", 0) / 1000, "max_ms": lat.get("max", 0) / 1000}


def parse_wrk(text):
    """(req/s, requests, errors) from wrk's output; req/s None if absent."""
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    n = re.search(r"(\d+) requests in", text)
    if not m or not n:
        return None, 0, 0
    errors = 0
    e = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors += int(e.group(1)) if e else 0
    e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors += sum(int(x) for x in e.groups()) if e else 0
    return float(m.group(1)), int(n.group(1)), errors


def non_2xx(r):
    """Answers of a corobench JSON result whose status was not 2xx."""
    return sum(n for code, n in (r.get("status") or {}).items() if not str(code).startswith("2"))
