"""Syscalls the serving process makes per request, for a fixed number of
requests (corobench -n): perf stat on the syscall tracepoints, else strace -c."""
import os
import shlex
import signal
import time

from .. import processes
from .plaintext import PIPELINE, plaintext_peers, warm

EVENTS_DIR = "/sys/kernel/tracing/events/syscalls"
CALLS = ["read", "recvfrom", "recvmsg", "write", "writev", "sendto", "sendmsg", "epoll_wait",
         "epoll_pwait", "epoll_ctl", "io_uring_enter", "futex", "accept4"]
STRACE_MAX_REQUESTS = 20000  # ptrace makes every syscall slow


def _perf_cmd(out, pid):
    names = [n for n in CALLS if os.path.isdir(os.path.join(EVENTS_DIR, f"sys_enter_{n}"))]
    events = ["raw_syscalls:sys_enter"] + [f"syscalls:sys_enter_{n}" for n in names]
    # The last event counts the calls that came back EAGAIN: reads tried
    # before the socket was readable.
    return ["perf", "stat", "-x", ",", "-o", out, "-e", ",".join(events),
            "-e", "raw_syscalls:sys_exit", "--filter", "ret == -11", "-p", str(pid)]


def _start_counter(work, name, pid, pipeline):
    """Attaches perf (or, when perf cannot, strace) to pid: (tool, process,
    command, output file)."""
    out = os.path.join(work, f"perf-{name}-{pipeline or 1}.csv")
    cmd = _perf_cmd(out, pid)
    counter = processes.spawn(cmd, os.path.join(work, "perf.log"))
    time.sleep(0.5)
    if os.environ.get("FORCE_STRACE"):
        processes.stop(counter)
    if counter.poll() is None:
        return "perf", counter, cmd, out
    out = out.replace(".csv", ".strace")
    cmd = ["strace", "-c", "-f", "-o", out, "-p", str(pid)]
    counter = processes.spawn(cmd, os.path.join(work, "strace.log"))
    time.sleep(1.0)
    return "strace", counter, cmd, out


def _stop_counter(counter):
    time.sleep(0.2)
    counter.send_signal(signal.SIGINT)  # both tools write their counts on SIGINT
    processes.finish(counter, 10)


def parse_perf(text):
    """(total, EAGAIN count, {call: count}) from perf stat -x, output."""
    counts, total, eagain = {}, 0, None
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
    return total, eagain, counts


def parse_strace(text):
    """(total, None, {call: count}) from strace -c's table: % time, seconds,
    usecs/call, calls, [errors,] syscall."""
    counts = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[3].isdigit() and parts[-1] != "total":
            counts[parts[-1]] = int(parts[3])
    return sum(counts.values()), None, counts


def syscalls_per_request(ctx, server, requests, pipeline=None, per_connection=False):
    """With per_connection, every request opens its own connection
    (corobench --no-keepalive -c 16, as row 24 runs it)."""
    pid = server.pid()
    mode = f"pipeline {pipeline}" if pipeline else "per connection" if per_connection else ""
    label = f"syscalls {server.name} {mode}".rstrip()
    tool, counter, cmd, out = _start_counter(ctx.work, server.name, pid,
                                             pipeline or ("conn" if per_connection else None))
    if tool == "strace":
        requests = min(requests, STRACE_MAX_REQUESTS)
    try:
        res = ctx.runner.corobench_run(label, server.url(), requests=requests,
                                       pipeline=pipeline, connections=16 if per_connection else 64,
                                       threads=1,
                                       extra=["--no-keepalive"] if per_connection else ())
    finally:
        _stop_counter(counter)
    ctx.runner.commands.setdefault(f"syscall counter ({tool})",
                                   shlex.join(cmd).replace(str(pid), "PID"))
    with open(out) as f:
        total, eagain, counts = (parse_perf if tool == "perf" else parse_strace)(f.read())
    n = max(1, res["requests"])
    by_call = sorted(counts.items(), key=lambda kv: -kv[1])
    return {"tool": tool, "requests": res["requests"], "syscalls": total,
            "per_request": total / n,
            "eagain_per_request": eagain / n if eagain is not None else None,
            "by_call": {k: round(v / n, 3) for k, v in by_call if v / n >= 0.005}}


def syscall_counts(ctx):
    requests = ctx.settings["syscall_requests"]
    processes.log(f"== syscalls per request: perf stat (or strace -c) -p PID during corobench "
                  f"-n {requests} -c 64")
    p = plaintext_peers(ctx)
    sysc = {}
    with ctx.running(*p.values()):
        warm(ctx, p.values())
        for name, s in p.items():
            sysc[name] = r = syscalls_per_request(ctx, s, requests)
            processes.log(f"  {name:24s} {r['per_request']:.3f} syscalls/request ({r['tool']}, "
                          f"EAGAIN {r['eagain_per_request']}) {r['by_call']}")
        for name in ("coroserve", "nginx", "bare_beast"):
            key = f"{name} pipeline {PIPELINE}"
            sysc[key] = r = syscalls_per_request(ctx, p[name], requests, pipeline=PIPELINE)
            processes.log(f"  {key:24s} {r['per_request']:.3f} syscalls/request {r['by_call']}")
        for name in ("coroserve", "nginx"):
            key = f"{name} per connection"
            sysc[key] = r = syscalls_per_request(ctx, p[name], requests, per_connection=True)
            processes.log(f"  {key:24s} {r['per_request']:.3f} syscalls/connection {r['by_call']}")
    return sysc
