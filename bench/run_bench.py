#!/usr/bin/env python3
"""`make bench`: coroserve against its peers, on loopback, in one run (issue 5).

Installs what it needs (scripts/deps.sh bench), builds the release binaries
(coroserve, corobench, bare_beast, micro_bench) with the release preset,
starts each server on a free loopback port, drives it with Debian's wrk and with corobench, interleaves the runs
(A B C ... A B C ..., the order rotated each round) so that drift in the
machine's load hits every contender alike, and prints the issue's seven rows
as medians and ratios, syscalls per request, and the Google Benchmark
micro-benchmarks. Writes bench/results/latest.json and latest.md (the
machine, its load, the date, the exact commands).

    bench/run_bench.py                  # the full run, about 6 minutes on 2 cores
    bench/run_bench.py --quick          # a smoke test: 1 round of 1 s, 1,000 idle connections
    ROUNDS=7 DURATION=5 bench/run_bench.py

Environment: ROUNDS, DURATION (plaintext rows, default 5 rounds of 4 s),
CPU_ROUNDS, CPU_DURATION (rows 4-6, default 3 rounds of 5 s), IDLE_CONNS
(row 3, default 10000), JOBS (build parallelism, default 2), BUILD_DIR
(default build/release; anything else skips the build step).

Standard library only. Every run is bounded by a timeout; every process the
script starts is in its own process group and is killed on exit, on error
and on Ctrl-C.
"""
import argparse
import atexit
import datetime
import json
import os
import platform
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PEERS = os.path.join(BENCH, "peers")
RESULTS = os.path.join(BENCH, "results")
# Debian's interpreter: python3-aiohttp is installed for it, whatever python3
# happens to be first on PATH.
DEBIAN_PYTHON = "/usr/bin/python3"

PRIMES_N = 10_000_000  # coroserve's default n: ~3-5 ms of one core in C++
HELLO = b"Hello, World!"

# ----------------------------------------------------------------------------
# Processes: everything started here is tracked and killed at exit.

_children = []  # Popen objects, each the leader of its own process group
_lock = threading.Lock()


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _kill_group(p, sig):
    try:
        os.killpg(p.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def cleanup():
    with _lock:
        procs = list(_children)
        _children.clear()
    for p in procs:
        if p.poll() is None:
            _kill_group(p, signal.SIGTERM)
    deadline = time.monotonic() + 3
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        _kill_group(p, signal.SIGKILL)  # also any child left in the group
        try:
            p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass


def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def spawn(cmd, out_path, **kw):
    with open(out_path, "ab") as out:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=ROOT, **kw)
    with _lock:
        _children.append(p)
    return p


def run_bounded(cmd, timeout, out_path):
    """Runs cmd to completion (killed after `timeout` s). Returns (exit code,
    CPU seconds of the tool itself, user + system, from wait4)."""
    p = spawn(cmd, out_path)
    killed = []

    def kill():
        killed.append(True)
        _kill_group(p, signal.SIGKILL)

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, ru = os.wait4(p.pid, 0)
    finally:
        timer.cancel()
    p.returncode = os.waitstatus_to_exitcode(status)
    with _lock:
        if p in _children:
            _children.remove(p)
    if killed:
        raise RuntimeError(f"timed out after {timeout} s: {shlex.join(cmd)}")
    return p.returncode, ru.ru_utime + ru.ru_stime


def stop(p, timeout=5):
    if p.poll() is None:
        _kill_group(p, signal.SIGTERM)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(p, signal.SIGKILL)
            p.wait(timeout=5)
    _kill_group(p, signal.SIGKILL)  # stragglers in the group (aiohttp's pool)
    with _lock:
        if p in _children:
            _children.remove(p)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, timeout=2.0):
    """One GET on a fresh connection: (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def read_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def group_cpu_s(pgid):
    """CPU seconds of every live process in a process group (nginx's master
    and worker, aiohttp and its pool processes)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_s():
    """CPU seconds the whole machine spent busy (all cores; steal counts:
    it is time another tenant took)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = v
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# ----------------------------------------------------------------------------
# Servers


class Server:
    def __init__(self, name, label, work):
        self.name = name
        self.label = label
        self.work = work
        self.port = free_port()
        self.proc = None
        self.cmd = None

    def command(self):
        raise NotImplementedError

    def start(self):
        self.cmd = self.command()
        self.proc = spawn(self.cmd, os.path.join(self.work, f"{self.name}.log"))
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                status, body = http_get(self.port, "/plaintext", timeout=1)
                if status == 200 and body == HELLO:
                    return self
                raise RuntimeError(f"{self.name}: /plaintext gave {status} {body[:80]!r}")
            except OSError:
                time.sleep(0.1)
        with open(os.path.join(self.work, f"{self.name}.log"), errors="replace") as f:
            tail = f.read()[-2000:]
        raise RuntimeError(f"{self.name} did not come up on 127.0.0.1:{self.port}:\n{tail}")

    def pid(self):
        """The process that serves (whose RSS and syscalls are measured)."""
        return self.proc.pid

    def stop(self):
        if self.proc is not None:
            stop(self.proc)
            self.proc = None

    def cpu_s(self):
        return group_cpu_s(self.proc.pid)

    def url(self, path="/plaintext"):
        return f"http://127.0.0.1:{self.port}{path}"


class Coroserve(Server):
    def __init__(self, name, work, build, workers):
        super().__init__(name, f"coroserve --workers {workers}", work)
        self.build = build
        self.workers = workers

    def command(self):
        return [os.path.join(self.build, "server", "coroserve"), "--host", "127.0.0.1",
                "--port", str(self.port), "--workers", str(self.workers),
                "--max-connections", "30000"]


class BareBeast(Server):
    def __init__(self, work, build):
        super().__init__("bare_beast", "bare Beast loop", work)
        self.build = build

    def command(self):
        return [os.path.join(self.build, "bench", "bare_beast"), "--port", str(self.port)]


class Nginx(Server):
    def __init__(self, work):
        super().__init__("nginx", "nginx, 1 worker", work)
        self.prefix = os.path.join(work, "nginx")

    def command(self):
        os.makedirs(self.prefix, exist_ok=True)
        with open(os.path.join(PEERS, "nginx-plaintext.conf")) as f:
            conf = f.read().replace("__PORT__", str(self.port)).replace("__PREFIX__", self.prefix)
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


# ----------------------------------------------------------------------------
# Load generators


class Runner:
    def __init__(self, work, build):
        self.work = work
        self.wrk = "wrk"
        self.corobench = os.path.join(build, "client", "corobench")
        self.commands = {}  # label -> one exact command line, for the report
        self.loads = []
        self.n = 0

    def _out(self, tag):
        self.n += 1
        return os.path.join(self.work, f"run{self.n:03d}-{tag}.txt")

    def wrk_run(self, label, server, duration, connections=64, threads=1, pipeline=None):
        url = server.url()
        cmd = [self.wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
        if pipeline:
            cmd += ["-s", os.path.join(BENCH, "pipeline.lua"), url, "--", str(pipeline)]
        else:
            cmd += [url]
        self.commands.setdefault(label, shlex.join(cmd))
        out = self._out("wrk")
        self.loads.append(loadavg())
        cpu0, busy0, t0 = server.cpu_s(), machine_busy_s(), time.monotonic()
        code, cpu = run_bounded(cmd, duration + 15, out)
        server_cpu = server.cpu_s() - cpu0
        wall = time.monotonic() - t0
        others = (machine_busy_s() - busy0 - server_cpu - cpu) / wall
        with open(out) as f:
            text = f.read()
        m = re.search(r"Requests/sec:\s+([\d.]+)", text)
        n = re.search(r"(\d+) requests in", text)
        if code != 0 or not m or not n:
            raise RuntimeError(f"wrk failed ({code}): {shlex.join(cmd)}\n{text[-1500:]}")
        errors = 0
        e = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
        errors += int(e.group(1)) if e else 0
        e = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
        errors += sum(int(x) for x in e.groups()) if e else 0
        requests = int(n.group(1))
        return {"rps": float(m.group(1)), "requests": requests, "errors": errors,
                "server_cpu_us_per_req": server_cpu * 1e6 / max(1, requests),
                "server_cores": server_cpu / wall, "others_cores": others,
                "tool_cpu_us_per_req": cpu * 1e6 / max(1, requests)}

    def corobench_run(self, label, url, duration=None, connections=64, threads=1, pipeline=None,
                      rate=None, requests=None, warmup=None, record=True, server=None):
        out = self._out("corobench")
        js = out.replace(".txt", ".json")
        cmd = [self.corobench, "--no-progress", "-c", str(connections), "-t", str(threads)]
        if duration is not None:
            cmd += ["-d", f"{duration}s"]
        if requests is not None:
            cmd += ["-n", str(requests)]
        if pipeline:
            cmd += ["--pipeline", str(pipeline)]
        if rate:
            cmd += ["-R", str(rate)]
        if warmup:
            cmd += ["--warmup", f"{warmup}s"]
        cmd += ["--json", js, url]
        if record:
            self.commands.setdefault(label, shlex.join(cmd).replace(js, "OUT.json"))
        self.loads.append(loadavg())
        limit = (duration or 0) + (warmup or 0) + 30
        cpu0, busy0, t0 = server.cpu_s() if server else 0.0, machine_busy_s(), time.monotonic()
        code, cpu = run_bounded(cmd, limit, out)
        server_cpu = server.cpu_s() - cpu0 if server else 0.0
        wall = time.monotonic() - t0
        others = (machine_busy_s() - busy0 - server_cpu - cpu) / wall
        try:
            with open(js) as f:
                r = json.load(f)
        except (OSError, ValueError):
            with open(out, errors="replace") as f:
                raise RuntimeError(f"corobench failed ({code}): {shlex.join(cmd)}\n{f.read()[-1500:]}")
        lat = r.get("latency_us", {})
        return {"rps": r["requests_per_s"], "requests": r["responses"],
                "server_cpu_us_per_req": (server_cpu * 1e6 / max(1, r["responses"])
                                          if server else None),
                "server_cores": server_cpu / wall if server else None,
                # with server=None the server's CPU counts as others'
                "others_cores": others if server else None,
                "errors": r["errors"]["total"], "non_2xx": _non_2xx(r),
                "tool_cpu_us_per_req": cpu * 1e6 / max(1, r["responses"]),
                "p50_ms": lat.get("p50", 0) / 1000, "p99_ms": lat.get("p99", 0) / 1000,
                "p999_ms": lat.get("p99.9", 0) / 1000, "max_ms": lat.get("max", 0) / 1000}


def _non_2xx(r):
    total = 0
    for code, n in (r.get("status") or {}).items():
        if not str(code).startswith("2"):
            total += n
    return total


def joined(runs, key, fmt):
    return ", ".join(fmt.format(r[key]) for r in runs)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# ----------------------------------------------------------------------------
# Measures


def interleave(rounds, cases, runner):
    """cases: list of (key, fn() -> dict). Round r runs them rotated by r."""
    results = {key: [] for key, _ in cases}
    for r in range(rounds):
        order = cases[r % len(cases):] + cases[:r % len(cases)]
        for key, fn in order:
            res = fn()
            results[key].append(res)
            extra = f" p99 {res['p99_ms']:.2f} ms" if "p99_ms" in res else ""
            err = f"  ERRORS {res['errors']}" if res.get("errors") else ""
            if res.get("server_cores") is not None:
                extra += (f"  server {res['server_cores']:.2f} cores, others "
                          f"{res['others_cores']:.2f}")
            log(f"  round {r + 1}/{rounds}  {key:28s} {res['rps']:>11,.0f} req/s{extra}{err}")
    return results


def syscalls_per_request(server, runner, requests, pipeline=None):
    """Syscalls the server makes per request, for a fixed number of requests
    (corobench -n): perf stat on the syscall tracepoints, else strace -c."""
    pid = server.pid()
    events_dir = "/sys/kernel/tracing/events/syscalls"
    names = ["read", "recvfrom", "recvmsg", "write", "writev", "sendto", "sendmsg", "epoll_wait",
             "epoll_pwait", "epoll_ctl", "io_uring_enter", "futex", "accept4"]
    names = [n for n in names if os.path.isdir(os.path.join(events_dir, f"sys_enter_{n}"))]
    events = ["raw_syscalls:sys_enter"] + [f"syscalls:sys_enter_{n}" for n in names]
    out = os.path.join(runner.work, f"perf-{server.name}-{pipeline or 1}.csv")
    label = f"syscalls {server.name}" + (f" pipeline {pipeline}" if pipeline else "")
    # The last event counts the calls that came back EAGAIN: reads tried
    # before the socket was readable.
    perf_cmd = ["perf", "stat", "-x", ",", "-o", out, "-e", ",".join(events),
                "-e", "raw_syscalls:sys_exit", "--filter", "ret == -11", "-p", str(pid)]
    tool = "perf"
    perf = spawn(perf_cmd, os.path.join(runner.work, "perf.log"))
    time.sleep(0.5)
    if os.environ.get("FORCE_STRACE"):
        stop(perf)
    if perf.poll() is not None:
        tool = "strace"
        out = out.replace(".csv", ".strace")
        perf_cmd = ["strace", "-c", "-f", "-o", out, "-p", str(pid)]
        requests = min(requests, 20000)  # ptrace makes every syscall slow
        perf = spawn(perf_cmd, os.path.join(runner.work, "strace.log"))
        time.sleep(1.0)
    try:
        res = runner.corobench_run(label, server.url(), requests=requests, pipeline=pipeline,
                                   connections=64, threads=1)
    finally:
        time.sleep(0.2)
        perf.send_signal(signal.SIGINT)
        try:
            perf.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        stop(perf)
    runner.commands.setdefault(f"syscall counter ({tool})",
                               shlex.join(perf_cmd).replace(str(pid), "PID"))
    counts = {}
    total = 0
    eagain = None
    with open(out) as f:
        text = f.read()
    if tool == "perf":
        for line in text.splitlines():
            parts = line.split(",")
            if len(parts) < 3 or not parts[0].strip().isdigit():
                continue
            n, ev = int(parts[0]), parts[2]
            if ev == "raw_syscalls:sys_enter":
                total = n
            elif ev == "raw_syscalls:sys_exit":
                eagain = n
            elif n:
                counts[ev.replace("syscalls:sys_enter_", "")] = n
    else:
        # % time, seconds, usecs/call, calls, [errors,] syscall
        for line in text.splitlines():
            parts = line.split()
            if len(parts) >= 5 and parts[3].isdigit() and parts[-1] != "total":
                counts[parts[-1]] = int(parts[3])
        total = sum(counts.values())
    n = max(1, res["requests"])
    return {"tool": tool, "requests": res["requests"], "syscalls": total,
            "per_request": total / n,
            "eagain_per_request": eagain / n if eagain is not None else None,
            "by_call": {k: round(v / n, 3) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])
                        if v / n >= 0.005}}


def idle_rss(server, conns):
    """Opens `conns` keep-alive connections, one request on each, then leaves
    them idle; returns the growth of the serving process's VmRSS."""
    pid = server.pid()
    http_get(server.port, "/plaintext")
    time.sleep(0.3)
    before = read_rss_kib(pid)
    socks = []
    req = b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    t0 = time.monotonic()
    try:
        for _ in range(conns):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            socks.append(s)
            s.sendall(req)
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    raise RuntimeError(f"{server.name} closed connection {len(socks)}")
                data += chunk
                head, sep, body = data.partition(b"\r\n\r\n")
                if sep:
                    m = re.search(rb"(?i)content-length:\s*(\d+)", head)
                    if m and len(body) >= int(m.group(1)):
                        break
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{server.name}: {head[:60]!r}")
        open_s = time.monotonic() - t0
        time.sleep(1.0)
        after = read_rss_kib(pid)
        # Every connection must still be open (a server that closed idle ones
        # would look cheap): a non-blocking peek finds no EOF on any.
        closed = 0
        for s in socks:
            s.setblocking(False)
            try:
                if s.recv(1, socket.MSG_PEEK) == b"":
                    closed += 1
            except BlockingIOError:
                pass
    finally:
        for s in socks:
            s.close()
    return {"connections": conns, "rss_before_kib": before, "rss_after_kib": after,
            "bytes_per_conn": (after - before) * 1024 / conns, "closed_by_server": closed,
            "open_s": round(open_s, 2)}


# ----------------------------------------------------------------------------
# Report


def fmt_ratio(x):
    return f"{x:.2f}×"


def machine_info():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MiB"

    def version(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            return (r.stdout + r.stderr).strip().splitlines()[0]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return "?"

    return {
        "nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
        "os": version(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "versions": {
            "nginx": version(["nginx", "-v"]).replace("nginx version: ", ""),
            "node": version(["node", "--version"]),
            "wrk": version(["wrk", "-v"]).split(" Copyright")[0].replace("wrk ", ""),
            "aiohttp": version([DEBIAN_PYTHON, "-c", "import aiohttp,sys; print("
                                "aiohttp.__version__, 'on Python', sys.version.split()[0])"]),
            "perf": version(["perf", "--version"]).replace("perf version ", ""),
        },
    }


def run_micro(build_dir, work):
    """The Google Benchmark suites (bench/micro), briefly, and OpenSSL's own
    SHA-256 speed beside BM_Sha256."""
    out = os.path.join(work, "micro.json")
    cmd = [os.path.join(build_dir, "bench", "micro_bench"), "--benchmark_min_time=0.2",
           f"--benchmark_out={out}", "--benchmark_out_format=json"]
    run_bounded(cmd, 240, os.path.join(work, "micro.txt"))
    with open(out) as f:
        data = json.load(f)
    rows = []
    for b in data["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        rows.append({"name": b["name"], "time": b["real_time"], "unit": b["time_unit"],
                     "items_per_second": b.get("items_per_second"),
                     "bytes_per_second": b.get("bytes_per_second"), "label": b.get("label", "")})
    openssl = {}
    for size in (64, 1024, 16384):
        r = subprocess.run(["openssl", "speed", "-seconds", "1", "-bytes", str(size), "sha256"],
                           capture_output=True, text=True, timeout=30)
        m = re.search(r"^sha256\s+([\d.]+)k", r.stdout, re.M)
        if m:
            openssl[size] = float(m.group(1)) * 1000
    cmdline = shlex.join(cmd[:2]) + "; openssl speed -seconds 1 -bytes {64,1024,16384} sha256"
    return {"benchmarks": rows, "openssl_sha256_bytes_per_s": openssl, "command": cmdline}


def si(x, unit):
    for div, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g} {prefix}{unit}"
    return f"{x:.3g} {unit}"


def build(jobs):
    log("== deps: scripts/deps.sh bench")
    subprocess.run([os.path.join(ROOT, "scripts", "deps.sh"), "bench"], check=True, cwd=ROOT)
    log(f"== build: cmake --preset release && cmake --build --preset release -j {jobs} "
        "--target coroserve corobench bare_beast micro_bench")
    subprocess.run(["cmake", "--preset", "release"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "-j", str(jobs), "--target",
                    "coroserve", "corobench", "bare_beast", "micro_bench"], check=True, cwd=ROOT)


def main():
    ap = argparse.ArgumentParser(description="coroserve vs its peers (issue 5)")
    ap.add_argument("--quick", action="store_true", help="smoke test: 1 round of 1 s each")
    ap.add_argument("--no-build", action="store_true", help="use the binaries as they are")
    ap.add_argument("--no-micro", action="store_true", help="skip the micro-benchmarks")
    ap.add_argument("--out", default=RESULTS, help="directory for latest.json and latest.md")
    args = ap.parse_args()

    env = os.environ
    rounds = int(env.get("ROUNDS", 1 if args.quick else 5))
    duration = int(env.get("DURATION", 1 if args.quick else 4))
    cpu_rounds = int(env.get("CPU_ROUNDS", 1 if args.quick else 3))
    cpu_duration = int(env.get("CPU_DURATION", 2 if args.quick else 5))
    idle_conns = int(env.get("IDLE_CONNS", 1000 if args.quick else 10000))
    jobs = int(env.get("JOBS", 2))
    build_dir = os.path.abspath(env.get("BUILD_DIR", os.path.join(ROOT, "build", "release")))
    syscall_requests = 20000 if args.quick else 100000

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    atexit.register(cleanup)

    t_start = time.monotonic()
    if not args.no_build and build_dir == os.path.join(ROOT, "build", "release"):
        build(jobs)
    else:
        log(f"== using the binaries in {build_dir} as they are")

    # Room for the idle-connection measure: the servers inherit this limit.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = idle_conns + 1024
    if hard != resource.RLIM_INFINITY and hard < want:
        idle_conns = max(1000, hard - 1024)
        want = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))

    work = tempfile.mkdtemp(prefix="coroserve-bench-")
    log(f"== work directory {work} (logs of every run)")
    runner = Runner(work, build_dir)
    info = machine_info()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = open("/proc/loadavg").read().split()[:3]
    res = {"date": date, "machine": info, "work": work, "load_start": load_start,
           "settings": {"rounds": rounds, "duration_s": duration, "cpu_rounds": cpu_rounds,
                        "cpu_duration_s": cpu_duration, "idle_connections": idle_conns,
                        "primes_n": PRIMES_N, "syscall_requests": syscall_requests}}

    # -- rows 1, 2, 7 and syscalls: keep-alive plaintext ---------------------
    cs = Coroserve("coroserve", work, build_dir, 1)
    ng = Nginx(work)
    bb = BareBeast(work, build_dir)
    nd = Node(work)
    plain = [cs, ng, bb, nd]
    log(f"== rows 1, 2, 7: GET /plaintext, wrk -t1 -c64, {rounds} rounds of {duration} s")
    for s in plain:
        s.start()
        runner.wrk_run(f"warm {s.name}", s, 1)
    W = runner.wrk_run
    cases = [
        ("coroserve", lambda: W("wrk coroserve", cs, duration)),
        ("nginx", lambda: W("wrk nginx", ng, duration)),
        ("bare_beast", lambda: W("wrk bare_beast", bb, duration)),
        ("node", lambda: W("wrk node", nd, duration)),
        ("coroserve pipeline 16", lambda: W("wrk coroserve pipeline 16", cs, duration,
                                            pipeline=16)),
        ("nginx pipeline 16", lambda: W("wrk nginx pipeline 16", ng, duration,
                                        pipeline=16)),
        ("bare_beast pipeline 16", lambda: W("wrk bare_beast pipeline 16", bb, duration,
                                             pipeline=16)),
        ("corobench nginx", lambda: runner.corobench_run("corobench nginx", ng.url(), duration,
                                                            server=ng)),
    ]
    plain_runs = interleave(rounds, cases, runner)
    res["plaintext_runs"] = plain_runs

    log(f"== syscalls per request: perf stat (or strace -c) -p PID during corobench -n "
        f"{syscall_requests} -c 64")
    sysc = {}
    for s in plain:
        sysc[s.name] = syscalls_per_request(s, runner, syscall_requests)
        log(f"  {s.name:24s} {sysc[s.name]['per_request']:.3f} syscalls/request "
            f"({sysc[s.name]['tool']}, EAGAIN {sysc[s.name]['eagain_per_request']}) "
            f"{sysc[s.name]['by_call']}")
    for s in (cs, ng, bb):
        key = f"{s.name} pipeline 16"
        sysc[key] = syscalls_per_request(s, runner, syscall_requests, pipeline=16)
        log(f"  {key:24s} {sysc[key]['per_request']:.3f} syscalls/request {sysc[key]['by_call']}")
    res["syscalls"] = sysc
    for s in plain:
        s.stop()

    # -- row 3: RSS per idle keep-alive connection ----------------------------
    log(f"== row 3: RSS per idle keep-alive connection, {idle_conns} connections")
    rss = {}
    for s in [Coroserve("coroserve", work, build_dir, 1), BareBeast(work, build_dir), Nginx(work),
              Node(work)]:
        s.start()
        try:
            rss[s.name] = idle_rss(s, idle_conns)
        finally:
            s.stop()
        r = rss[s.name]
        log(f"  {s.name:12s} {r['bytes_per_conn']:8.0f} B/connection  (VmRSS {r['rss_before_kib']}"
            f" -> {r['rss_after_kib']} KiB, {r['closed_by_server']} closed by the server)")
        runner.commands.setdefault("idle connections", f"{idle_conns} × (connect; GET /plaintext; "
                                   "read the answer; keep open), then VmRSS of the serving "
                                   "process from /proc/PID/status after 1 s")
    res["idle_rss"] = rss

    # -- rows 4, 5, 6: the CPU side --------------------------------------------
    primes = f"/cpu/primes?n={PRIMES_N}&split=1"
    w1 = Coroserve("coroserve_w1", work, build_dir, 1)
    w2 = Coroserve("coroserve_w2", work, build_dir, 2)
    ah = Aiohttp(work, 2)
    log(f"== rows 4, 6: GET {primes}, corobench -c 4, {cpu_rounds} rounds of {cpu_duration} s")
    for s in (w1, w2, ah):
        s.start()
        status, body = http_get(s.port, primes, timeout=30)
        got = json.loads(body)["primes"] if status == 200 else None
        if got != 664579:
            raise RuntimeError(f"{s.name}: {primes} answered {status} {body[:200]!r}")
    C = runner.corobench_run
    cases = [
        ("workers 1", lambda: C("primes coroserve workers 1", w1.url(primes), cpu_duration, connections=4,
                                server=w1)),
        ("workers 2", lambda: C("primes coroserve workers 2", w2.url(primes), cpu_duration, connections=4,
                                server=w2)),
        ("aiohttp 2", lambda: C("primes aiohttp", ah.url(f"/cpu/primes?n={PRIMES_N}"),
                                cpu_duration, connections=4, server=ah)),
    ]
    cpu_runs = interleave(cpu_rounds, cases, runner)
    res["cpu_runs"] = cpu_runs
    w1.stop()
    ah.stop()

    log(f"== row 5: p99 of /io/sleep?ms=10 (corobench -R 200), idle vs pool saturated")
    sleep_url = w2.url("/io/sleep?ms=10")
    probe = dict(duration=cpu_duration, connections=16, rate=200, server=w2)

    def saturated():
        load_cmd = [runner.corobench, "--no-progress", "-c", "4", "-t", "1", "-d",
                    f"{cpu_duration + 2}s", "--json", os.path.join(work, "saturate.json"),
                    w2.url(primes)]
        runner.commands.setdefault("saturating load", shlex.join(load_cmd).replace(
            os.path.join(work, "saturate.json"), "OUT.json"))
        loader = spawn(load_cmd, os.path.join(work, "saturate.txt"))
        try:
            time.sleep(1.0)
            r = C("sleep probe saturated", sleep_url, **probe)
        finally:
            try:
                loader.wait(timeout=cpu_duration + 20)
            except subprocess.TimeoutExpired:
                pass
            stop(loader)
        try:
            with open(os.path.join(work, "saturate.json")) as f:
                r["saturating_rps"] = json.load(f)["requests_per_s"]
        except (OSError, ValueError, KeyError):
            r["saturating_rps"] = None
        return r

    cases = [
        ("idle", lambda: C("sleep probe", sleep_url, **probe)),
        ("saturated", saturated),
    ]
    sleep_runs = interleave(cpu_rounds, cases, runner)
    res["sleep_runs"] = sleep_runs
    w2.stop()

    if not args.no_micro:
        log("== micro-benchmarks: micro_bench --benchmark_min_time=0.2, openssl speed sha256")
        res["micro"] = run_micro(build_dir, work)
    res["load_end"] = open("/proc/loadavg").read().split()[:3]
    res["load_during"] = {"min": min(runner.loads), "median": median(runner.loads),
                          "max": max(runner.loads)}
    res["elapsed_s"] = round(time.monotonic() - t_start)
    res["commands"] = runner.commands
    res["server_commands"] = {s.name: shlex.join(s.cmd) for s in plain + [w1, w2, ah]}

    report(res, args.out)


def report(res, out_dir):
    pr = res["plaintext_runs"]
    m = {k: median([r["rps"] for r in v]) for k, v in pr.items()}
    cpu = {k: median([r["rps"] for r in v]) for k, v in res["cpu_runs"].items()}
    sl = res["sleep_runs"]
    p99_idle = median([r["p99_ms"] for r in sl["idle"]])
    p99_sat = median([r["p99_ms"] for r in sl["saturated"]])
    rss = res["idle_rss"]
    sysc = res["syscalls"]

    def paired(a, b, runs=pr):
        xs = [x["rps"] / y["rps"] for x, y in zip(runs[a], runs[b])]
        return f"{min(xs):.2f}–{max(xs):.2f}" if len(xs) > 1 else ""

    def tool_cpu(k):
        return median([r["tool_cpu_us_per_req"] for r in pr[k]])

    def server_cpu(k):
        xs = [r["server_cpu_us_per_req"] for r in pr[k] if r.get("server_cpu_us_per_req")]
        return f"{median(xs):.2f}" if xs else ""

    rows = []

    def row(num, measure, value, ratio, goal, met, spread=""):
        rows.append({"row": num, "measure": measure, "value": value, "ratio": ratio,
                     "goal": goal, "met": met, "per_round_ratio_range": spread})

    r_ng = m["coroserve"] / m["nginx"]
    r_bb = m["coroserve"] / m["bare_beast"]
    r_nd = m["coroserve"] / m["node"]
    def cpu_us(k):
        xs = [r["server_cpu_us_per_req"] for r in pr[k] if r.get("server_cpu_us_per_req")]
        return median(xs) if xs else float("nan")

    def vs(a, b):
        return (f"{m[a]:,.0f} vs {m[b]:,.0f} (CPU/request {cpu_us(a):.1f} vs {cpu_us(b):.1f} µs)")

    row("1a", "plaintext keep-alive, req/s: coroserve vs nginx (1 worker)", vs("coroserve", "nginx"),
        r_ng, "≥ 1.2×", r_ng >= 1.2,
        paired("coroserve", "nginx"))
    row("1b", "… coroserve vs bare Beast loop", vs("coroserve", "bare_beast"), r_bb, "≥ 0.95×", r_bb >= 0.95, paired("coroserve", "bare_beast"))
    row("1c", "… coroserve vs Node.js http", vs("coroserve", "node"), r_nd,
        "≥ 2×", r_nd >= 2, paired("coroserve", "node"))
    r2 = m["coroserve pipeline 16"] / m["coroserve"]
    row("2", "pipelined ×16 vs own non-pipelined, req/s", vs("coroserve pipeline 16", "coroserve"),
        r2, "≥ 3×", r2 >= 3,
        paired("coroserve pipeline 16", "coroserve"))
    b3 = rss["coroserve"]["bytes_per_conn"]
    row("3", f"RSS per idle keep-alive connection ({rss['coroserve']['connections']:,})",
        f"{b3:,.0f} B", None, "≤ 1 KiB", b3 <= 1024)
    r4 = cpu["workers 2"] / cpu["workers 1"]
    cores = {k: median([r["server_cores"] for r in v]) for k, v in res["cpu_runs"].items()}
    row("4", "/cpu/primes n=10^7 split=1 req/s, workers=2 vs 1",
        f"{cpu['workers 2']:,.1f} vs {cpu['workers 1']:,.1f} (on {cores['workers 2']:.2f} "
        f"vs {cores['workers 1']:.2f} cores)", r4, "≥ 1.8×", r4 >= 1.8,
        paired("workers 2", "workers 1", res["cpu_runs"]))
    d5 = p99_sat - p99_idle
    row("5", "p99 of /io/sleep?ms=10, pool saturated vs idle",
        f"{p99_sat:.2f} vs {p99_idle:.2f} ms (+{d5:.2f} ms)", None, "≤ +2 ms", d5 <= 2)
    r6 = cpu["workers 2"] / cpu["aiohttp 2"]
    cpu_req = {k: median([r["server_cpu_us_per_req"] for r in v])
               for k, v in res["cpu_runs"].items()}
    row("6", "CPU endpoint req/s vs aiohttp + ProcessPoolExecutor, 2 workers",
        f"{cpu['workers 2']:,.1f} vs {cpu['aiohttp 2']:,.1f} (CPU/request "
        f"{cpu_req['workers 2'] / 1000:.2f} vs {cpu_req['aiohttp 2'] / 1000:.2f} ms)", r6, "≥ 5×", r6 >= 5,
        paired("workers 2", "aiohttp 2", res["cpu_runs"]))
    r7 = m["corobench nginx"] / m["nginx"]
    row("7", "generation rate on nginx, 1 thread: corobench vs wrk",
        f"{m['corobench nginx']:,.0f} vs {m['nginx']:,.0f}", r7, "≥ 1.0×", r7 >= 1.0,
        paired("corobench nginx", "nginx"))
    res["medians"] = {"plaintext_rps": m, "cpu_rps": cpu, "sleep_p99_idle_ms": p99_idle,
                      "sleep_p99_saturated_ms": p99_sat}
    res["rows"] = rows

    info = res["machine"]
    all_runs = [r for group in (pr, res["cpu_runs"], sl) for v in group.values() for r in v]
    others = [r["others_cores"] for r in all_runs if r.get("others_cores") is not None]
    others_txt = (f"{median(others):.2f} ({min(others):.2f}–{max(others):.2f})" if others
                  else "?")
    res["others_cores"] = ({"median": median(others), "min": min(others), "max": max(others)}
                           if others else None)

    def tidy(cmd):
        return cmd.replace(ROOT + "/", "").replace(res["work"], "$WORK")

    lines = []
    A = lines.append
    A("# coroserve benchmark (`make bench`)")
    A("")
    A(f"{res['date']}; {info['nproc']} × {info['cpu']}, {info['memory']}, Linux "
      f"{info['kernel']}, {info['os']}. Load average (1 min) {res['load_start'][0]} at the start,"
      f" {res['load_during']['min']:.2f}–{res['load_during']['max']:.2f} (median "
      f"{res['load_during']['median']:.2f}) before the runs, {res['load_end'][0]} at the end. "
      f"Other processes kept {others_txt} cores busy during the runs (median, min–max over "
      f"runs). Took {res['elapsed_s']} s.")
    A("")
    A("| # | measure | median | ratio | per-round ratios | goal | met |")
    A("|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = fmt_ratio(r["ratio"]) if r["ratio"] is not None else ""
        A(f"| {r['row']} | {r['measure']} | {r['value']} | {ratio} | "
          f"{r['per_round_ratio_range']} | {r['goal']} | {'yes' if r['met'] else '**no**'} |")
    A("")
    A("Syscalls per request (keep-alive, corobench -c 64 -t 1, "
      f"{res['settings']['syscall_requests']:,} requests; counted on the serving process):")
    A("")
    A("| server | syscalls / request | of which EAGAIN | by call (per request) | "
      "pipelined ×16: syscalls / request |")
    A("|---|---|---|---|---|")
    for name in ("coroserve", "nginx", "bare_beast", "node"):
        s = sysc[name]
        p = sysc.get(f"{name} pipeline 16")
        by = ", ".join(f"{k} {v}" for k, v in s["by_call"].items())
        ea = f"{s['eagain_per_request']:.3f}" if s.get("eagain_per_request") is not None else "?"
        pp = f"{p['per_request']:.3f}" if p else ""
        A(f"| {name} | {s['per_request']:.3f} ({s['tool']}) | {ea} | {by} | {pp} |")
    A("")
    A("All medians (req/s, keep-alive plaintext, wrk -t1 -c64 unless noted). Server CPU = "
      "user+system µs per request of the server's processes (/proc/PID/stat); server cores = "
      "the same per second of wall time; tool CPU = µs per request of the load generator; "
      "others = cores the rest of the machine kept busy meanwhile (/proc/stat busy time minus "
      "server and tool; it includes steal):")
    A("")
    A("| run | median req/s | runs | server CPU µs/req | server cores | tool CPU µs/req | "
      "others (cores) |")
    A("|---|---|---|---|---|---|---|")

    def med(v, key, fmt):
        xs = [r[key] for r in v if r.get(key) is not None]
        return fmt.format(median(xs)) if xs else ""

    for k, v in pr.items():
        A(f"| {k} | {m[k]:,.0f} | {joined(v, 'rps', '{:,.0f}')} | {server_cpu(k)} | "
          f"{med(v, 'server_cores', '{:.2f}')} | {tool_cpu(k):.2f} | "
          f"{med(v, 'others_cores', '{:.2f}')} |")
    for k, v in res["cpu_runs"].items():
        A(f"| primes n=10^7, -c 4: {k} | {cpu[k]:,.1f} | "
          f"{joined(v, 'rps', '{:,.1f}')} | {med(v, 'server_cpu_us_per_req', '{:,.0f}')} | "
          f"{med(v, 'server_cores', '{:.2f}')} | {med(v, 'tool_cpu_us_per_req', '{:.1f}')} | "
          f"{med(v, 'others_cores', '{:.2f}')} |")
    for k, v in sl.items():
        extra = ""
        if k == "saturated":
            extra = " (saturating load: " + ", ".join(
                f"{r['saturating_rps']:,.0f}" if r.get("saturating_rps") else "?" for r in v) + \
                " req/s of primes)"
        A(f"| /io/sleep?ms=10 at 200 req/s, {k}: p50 / p99 / p99.9 ms | "
          f"{median([r['p50_ms'] for r in v]):.2f} / {median([r['p99_ms'] for r in v]):.2f} / "
          f"{median([r['p999_ms'] for r in v]):.2f} | "
          f"p99 {joined(v, 'p99_ms', '{:.2f}')}{extra} | | "
          f"{med(v, 'server_cores', '{:.2f}')} | | {med(v, 'others_cores', '{:.2f}')} |")
    A("")
    A("Idle keep-alive connections (VmRSS of the serving process before and after):")
    A("")
    A("| server | connections | VmRSS before → after (KiB) | bytes / connection | closed by server |")
    A("|---|---|---|---|---|")
    for name, r in rss.items():
        A(f"| {name} | {r['connections']:,} | {r['rss_before_kib']:,} → {r['rss_after_kib']:,} | "
          f"{r['bytes_per_conn']:,.0f} | {r['closed_by_server']} |")
    A("")
    A("Notes:")
    A("")
    if others and median(others) > 0.25:
        A(f"- **The machine was loaded**: other processes kept a median {median(others):.2f} of "
          f"its {info['nproc']} cores busy. Rows 4 and 5 need both cores free (row 4: see the "
          "cores coroserve actually got; coroserve's workers run at nice 10 by default, so "
          "other tenants at nice 0 take their CPU first, while aiohttp's processes run at nice "
          "0). Rows 1, 2 and 7 use one core for the server and one for the load generator, so "
          "every contender there lost some of its core; the interleaving spreads that loss.")
    A("- Runs are interleaved (every contender once per round, the order rotated each round) "
      "and the table shows medians; \"per-round ratios\" is the range of the ratio within "
      "each round. The machine is shared: read the load average above before the numbers.")
    A("- Peers: nginx with one worker answering `return 200 \"Hello, World!\"` "
      "(bench/peers/nginx-plaintext.conf); Node.js `http`, one thread "
      "(bench/peers/node_plaintext.js); a bare Boost.Beast coroutine loop, no routing, no "
      "metrics, no Date header (bench/peers/bare_beast.cpp); aiohttp with `run_in_executor` on a "
      "`ProcessPoolExecutor(2)` (bench/peers/aiohttp_server.py).")
    A("- aiohttp's prime count is not coroserve's segmented sieve transcribed (that would be "
      "unfairly slow in pure Python) but the fastest reasonable pure-Python sieve: odd-only "
      "`bytearray`, C-level slice assignment, `bytearray.count`. Both answer π(10^7) = 664,579 "
      "(checked before measuring).")
    A("- Row 2 pipelines with bench/pipeline.lua (16 requests per write); row 7 is corobench "
      "against wrk on the same nginx, both `-c 64 -t 1`, interleaved with the rest; when nginx "
      "is the bottleneck both rates are nginx's and the tool CPU column tells them apart.")
    A("- Row 5: corobench open loop (`-R 200`, latency from each request's scheduled time) on "
      "coroserve `--workers 2`; \"saturated\" runs it while a second corobench keeps 4 "
      f"`{'/cpu/primes?n=10000000&split=1'}` requests in flight (2 running, 2 queued).")
    A("- Syscalls: `perf stat -e raw_syscalls:sys_enter,...` attached to the serving process "
      "(nginx: its worker) for a fixed number of requests (falls back to `strace -c -f`); "
      "EAGAIN counts the calls that returned it (`raw_syscalls:sys_exit --filter 'ret == -11'`):"
      " reads tried before the next request had arrived. 2 per request (one read, one write) "
      "is the floor for epoll without pipelining. coroserve writes a response inline, without "
      "waiting, and Asio then tries the next read at once: that read is the EAGAIN one; "
      "deferring it (a `post`) saved the syscall but cost more CPU than it (README, "
      "Performance).")
    A("")
    if res.get("micro"):
        mi = res["micro"]
        A("Micro-benchmarks (Google Benchmark, one thread; `" + tidy(mi["command"]) + "`):")
        A("")
        A("| benchmark | time | rate | note |")
        A("|---|---|---|---|")
        for b in mi["benchmarks"]:
            rate = ""
            if b["bytes_per_second"]:
                rate = si(b["bytes_per_second"], "B/s")
            elif b["items_per_second"]:
                rate = si(b["items_per_second"], "items/s")
            note = b["label"]
            size = b["name"].split("/")[-1]
            if b["name"].startswith("BM_Sha256/") and size.isdigit() and \
                    int(size) in mi["openssl_sha256_bytes_per_s"]:
                note = f"openssl speed: {si(mi['openssl_sha256_bytes_per_s'][int(size)], 'B/s')}"
            A(f"| {b['name']} | {b['time']:.4g} {b['unit']} | {rate} | {note} |")
        A("")
        A("Items: numbers sieved (primes), chain rounds (SHA-256 chain), pixels (Mandelbrot), "
          "calls (router, histogram).")
        A("")
    A("Commands (ports are picked free at run time; $WORK is a temporary directory):")
    A("")
    A("```")
    for name, cmd in res["server_commands"].items():
        A(f"# server {name}: {tidy(cmd)}")
    for label, cmd in res["commands"].items():
        if label.startswith("warm "):
            continue
        A(f"# {label}: {tidy(cmd)}")
    A("```")
    A("")
    s = res["settings"]
    A(f"Settings: {s['rounds']} rounds × {s['duration_s']} s (plaintext), {s['cpu_rounds']} "
      f"rounds × {s['cpu_duration_s']} s (CPU and latency rows), {s['idle_connections']:,} idle "
      f"connections. Versions: {'; '.join(f'{k}: {v}' for k, v in info['versions'].items())}.")
    md = "\n".join(lines) + "\n"

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "latest.json"), "w") as f:
        json.dump(res, f, indent=2, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(out_dir, "latest.md"), "w") as f:
        f.write(md)

    # The console table.
    print()
    print(f"coroserve bench, {res['date']}, {info['nproc']} × {info['cpu']}, Linux {info['kernel']},"
          f" load {res['load_start'][0]} -> {res['load_end'][0]}")
    print(f"{'#':3s} {'measure':64s} {'median':58s} {'ratio':>7s}  {'goal':8s} met")
    for r in rows:
        ratio = fmt_ratio(r["ratio"]) if r["ratio"] is not None else ""
        print(f"{r['row']:3s} {r['measure'][:64]:64s} {r['value'][:58]:58s} {ratio:>7s}  "
              f"{r['goal']:8s} {'yes' if r['met'] else 'NO'}")
    print("syscalls/request: " + ", ".join(f"{k} {v['per_request']:.2f}" for k, v in sysc.items()))
    print(f"written: {os.path.relpath(os.path.join(out_dir, 'latest.md'), ROOT)}, "
          f"{os.path.relpath(os.path.join(out_dir, 'latest.json'), ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        cleanup()
