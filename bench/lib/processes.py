"""Child processes and /proc reads.

Every process started here leads its own process group and is tracked: the
group is killed when the caller stops it, and every group still alive is
killed on exit, on an error, on Ctrl-C, SIGTERM or SIGHUP (install_cleanup).
Every run is bounded by a timeout.
"""
import atexit
import os
import shlex
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time

from .paths import ROOT

_children = []  # Popen objects, each the leader of its own process group
_lock = threading.Lock()
_CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def _kill_group(p, sig):
    try:
        os.killpg(p.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _forget(p):
    with _lock:
        if p in _children:
            _children.remove(p)


def _wait(p, timeout):
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass


def cleanup():
    """Kills every tracked group: SIGTERM, up to 3 s, then SIGKILL."""
    with _lock:
        procs = list(_children)
        _children.clear()
    for p in procs:
        if p.poll() is None:
            _kill_group(p, signal.SIGTERM)
    deadline = time.monotonic() + 3
    for p in procs:
        _wait(p, max(0.1, deadline - time.monotonic()))
        _kill_group(p, signal.SIGKILL)  # also any child left in the group
        _wait(p, 2)



def run_main(main):
    """Runs a script's main(): Ctrl-C exits 130, and every process it started
    is killed however it ends."""
    try:
        return main()
    except KeyboardInterrupt:
        sys.exit(130)
    finally:
        cleanup()

def _on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_cleanup():
    """SIGTERM and SIGHUP end the script like Ctrl-C does; cleanup() runs at exit."""
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    atexit.register(cleanup)


def spawn(cmd, out_path, **kw):
    """Starts cmd in its own process group, output appended to out_path."""
    with open(out_path, "ab") as out:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=kw.pop("cwd", ROOT), **kw)
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
    _forget(p)
    if killed:
        raise RuntimeError(f"timed out after {timeout} s: {shlex.join(cmd)}")
    return p.returncode, ru.ru_utime + ru.ru_stime


def finish(p, timeout):
    """Lets p end by itself for up to `timeout` s, then stops what is left."""
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    stop(p)


def stop(p, timeout=5, sig=signal.SIGTERM):
    """Stops p's group: `sig`, up to `timeout` s, then SIGKILL for the process
    and anything left in its group (aiohttp's pool, nginx's worker)."""
    if p.poll() is None:
        _kill_group(p, sig)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(p, signal.SIGKILL)
            _wait(p, 5)
    _kill_group(p, signal.SIGKILL)
    _forget(p)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tls_context(cafile):
    """A client context trusting cafile only, as curl --cacert does."""
    ctx = ssl.create_default_context(cafile=cafile)
    ctx.check_hostname = False  # the benchmarks dial 127.0.0.1 (the certificate names it too)
    return ctx


def http_get(port, path, timeout=2.0, cafile=None):
    """One GET on a fresh loopback connection (HTTPS when cafile is given):
    (status, body)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    with (tls_context(cafile).wrap_socket(raw) if cafile else raw) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


# ----------------------------------------------------------------------------
# /proc


def read_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def count_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def _stat_fields(pid):
    """The fields of /proc/PID/stat after the command name, or None."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def proc_cpu(pid):
    """(user, system) CPU seconds of one process, all its threads: utime and
    stime. The kernel splits the precise total by its clock-tick samples."""
    fields = _stat_fields(pid)
    return (int(fields[11]) / _CLK_TCK, int(fields[12]) / _CLK_TCK) if fields else (0.0, 0.0)


def group_cpu(pgid):
    """(user, system) CPU seconds of every live process in a process group
    (nginx's master and worker, aiohttp and its pool processes)."""
    user = system = 0
    for entry in os.listdir("/proc"):
        fields = _stat_fields(entry) if entry.isdigit() else None
        if fields and int(fields[2]) == pgid:
            user += int(fields[11])
            system += int(fields[12])
    return user / _CLK_TCK, system / _CLK_TCK


def machine_busy_s():
    """CPU seconds the whole machine spent busy (all cores; steal counts:
    it is time another tenant took)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = v
    return (user + nice + system + irq + softirq + steal) / _CLK_TCK


def machine_steal_s():
    """CPU seconds the hypervisor gave to other tenants while this machine's
    cores had work (all cores): time nothing here could run."""
    with open("/proc/stat") as f:
        return int(f.readline().split()[8]) / _CLK_TCK


def loadavg():
    """The 1, 5 and 15 minute load averages, as /proc/loadavg spells them."""
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]
