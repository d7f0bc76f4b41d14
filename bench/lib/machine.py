"""The machine under test: its description, the build, the fd limit."""
import datetime
import os
import platform
import resource
import subprocess

from .paths import DEBIAN_PYTHON, ROOT
from .processes import log

BENCH_TARGETS = ["coroserve", "corobench", "bare_beast", "micro_bench"]


def _first_line(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (r.stdout + r.stderr).strip().splitlines()[0]
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "?"


def _proc_field(path, prefix):
    with open(path) as f:
        for line in f:
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    return None


def machine_info():
    mem = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "nproc": os.cpu_count(),
        "cpu": _proc_field("/proc/cpuinfo", "model name") or "unknown",
        "memory": f"{int(mem.split()[0]) // 1024} MiB" if mem else "",
        "kernel": platform.release(),
        "os": _first_line(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "versions": {
            "nginx": _first_line(["nginx", "-v"]).replace("nginx version: ", ""),
            "node": _first_line(["node", "--version"]),
            "wrk": _first_line(["wrk", "-v"]).split(" Copyright")[0].replace("wrk ", ""),
            "aiohttp": _first_line([DEBIAN_PYTHON, "-c", "import aiohttp,sys; print("
                                    "aiohttp.__version__, 'on Python', sys.version.split()[0])"]),
            "perf": _first_line(["perf", "--version"]).replace("perf version ", ""),
        },
    }


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def install_bench_deps():
    log("== deps: scripts/deps.sh bench")
    subprocess.run([os.path.join(ROOT, "scripts", "deps.sh"), "bench"], check=True, cwd=ROOT)


def build(jobs):
    """The bench packages, then the release binaries the benchmarks run."""
    install_bench_deps()
    log(f"== build: cmake --preset release && cmake --build --preset release -j {jobs} "
        f"--target {' '.join(BENCH_TARGETS)}")
    subprocess.run(["cmake", "--preset", "release"], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "-j", str(jobs), "--target"]
                   + BENCH_TARGETS, check=True, cwd=ROOT)


def raise_fd_limit(connections):
    """Room for `connections` open sockets (the servers inherit the limit);
    returns how many the hard limit allows, at least 1000."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = connections + 1024
    if hard != resource.RLIM_INFINITY and hard < want:
        connections = max(1000, hard - 1024)
        want = hard
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    return connections
