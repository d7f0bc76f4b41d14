"""The Google Benchmark suites (bench/micro), briefly, and OpenSSL's own
SHA-256 speed beside BM_Sha256."""
import json
import os
import re
import shlex
import subprocess

from .. import processes

OPENSSL_SIZES = (64, 1024, 16384)


def _google_benchmarks(path):
    with open(path) as f:
        data = json.load(f)
    return [{"name": b["name"], "time": b["real_time"], "unit": b["time_unit"],
             "items_per_second": b.get("items_per_second"),
             "bytes_per_second": b.get("bytes_per_second"), "label": b.get("label", "")}
            for b in data["benchmarks"]
            if b.get("run_type", "iteration") == "iteration" and not b.get("error_occurred")]


def _openssl_sha256():
    """Bytes/s of `openssl speed sha256` for each size."""
    speeds = {}
    for size in OPENSSL_SIZES:
        r = subprocess.run(["openssl", "speed", "-seconds", "1", "-bytes", str(size), "sha256"],
                           capture_output=True, text=True, timeout=30)
        m = re.search(r"^sha256\s+([\d.]+)k", r.stdout, re.M)
        if m:
            speeds[size] = float(m.group(1)) * 1000
    return speeds


def micro_benchmarks(ctx):
    if not ctx.micro:
        return None
    processes.log("== micro-benchmarks: micro_bench --benchmark_min_time=0.2, "
                  "openssl speed sha256")
    out = os.path.join(ctx.work, "micro.json")
    cmd = [os.path.join(ctx.build, "bench", "micro_bench"), "--benchmark_min_time=0.2",
           f"--benchmark_out={out}", "--benchmark_out_format=json"]
    processes.run_bounded(cmd, 240, os.path.join(ctx.work, "micro.txt"))
    cmdline = (shlex.join(cmd[:2]) + "; openssl speed -seconds 1 -bytes "
               "{" + ",".join(map(str, OPENSSL_SIZES)) + "} sha256")
    return {"benchmarks": _google_benchmarks(out),
            "openssl_sha256_bytes_per_s": _openssl_sha256(), "command": cmdline}
