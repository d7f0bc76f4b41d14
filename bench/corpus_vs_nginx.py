#!/usr/bin/env python3
"""Sends every case of tests/corpus/ to nginx and to coroserve, on loopback,
and prints what each answered next to the expectation in the MANIFEST.

    bench/corpus_vs_nginx.py                  # both servers, markdown table
    bench/corpus_vs_nginx.py --only coroserve # just coroserve (no nginx needed)
    bench/corpus_vs_nginx.py --port 8080      # an already running server

What a cell means: the statuses received, in order, then how the connection
ended: "close" (the server closed it), "open" (still in step: a sentinel
request sent afterwards got its own answer), "stuck" (open, but the sentinel
got no answer in time). nginx-light is installed by `scripts/deps.sh bench`
and started with bench/peers/nginx-corpus.conf; both servers get 1 s header,
body and idle timeouts, so the incomplete cases finish quickly. Everything is
bounded: each case waits at most a few seconds, and both servers are stopped
on exit.
"""
import argparse
import os
import shutil
import socket
import sys
import tempfile
import time

from lib import processes
from lib.machine import install_bench_deps
from lib.paths import ROOT, coroserve_binary
from lib.peers import Coroserve, Nginx, running

CORPUS = os.path.join(ROOT, "tests", "corpus")
# Short timeouts, the same as nginx-corpus.conf's, so incomplete cases end soon.
COROSERVE_ARGS = ["--log-level", "off", "--header-timeout-ms", "1000", "--body-timeout-ms", "1000",
                  "--idle-timeout-ms", "1000"]
ORDER = {"coroserve": 0, "nginx": 1}  # the table's columns
SENTINEL = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
CASE_DEADLINE = 4.0  # the 1 s timeouts plus the sweep interval, with room


def load_manifest():
    cases = []
    with open(os.path.join(CORPUS, "MANIFEST")) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            fname, expect, category, note = fields[:4]
            bug = fields[4] if len(fields) > 4 else ""
            with open(os.path.join(CORPUS, "cases", fname), "rb") as cf:
                data = cf.read()
            cases.append((fname, expect, category, note, bug, data))
    return cases


def expected_count(expect):
    head = expect.split("/")[0]
    return 0 if head == "close" else len(head.split(","))


NEED_MORE = object()  # a body length that needs more bytes to be known
TO_EOF = object()     # a body that ends when the server closes


def _chunked_length(rest):
    """Length of a whole chunked body at the start of rest, or NEED_MORE."""
    pos = 0
    while True:
        eol = rest.find(b"\r\n", pos)
        if eol < 0:
            return NEED_MORE
        size = int(rest[pos:eol].split(b";")[0], 16)
        if size == 0:
            fin = rest.find(b"\r\n\r\n", eol - 2 if eol >= 2 else 0)
            return fin + 4 if fin >= 0 else NEED_MORE
        pos = eol + 2 + size + 2
        if pos > len(rest):
            return NEED_MORE


def _body_length(status, fields, rest):
    if status < 200 or status in (204, 304):
        return 0
    if fields.get(b"transfer-encoding", b"").lower() == b"chunked":
        return _chunked_length(rest)
    if b"content-length" in fields:
        return int(fields[b"content-length"])
    return TO_EOF


class Responses:
    """A minimal HTTP/1.1 response reader: enough framing (Content-Length,
    chunked, no-body statuses) to count responses and read their status."""

    def __init__(self):
        self.buf = b""
        self.statuses = []

    def feed(self, data):
        self.buf += data
        while self._one():
            pass

    def _one(self):
        end = self.buf.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = self.buf[:end].split(b"\r\n")
        try:
            status = int(head[0].split(b" ")[1])
        except (IndexError, ValueError):
            self.statuses.append("garbage")
            self.buf = b""
            return False
        fields = {}
        for h in head[1:]:
            k, _, v = h.partition(b":")
            fields[k.strip().lower()] = v.strip()
        rest = self.buf[end + 4:]
        body_len = _body_length(status, fields, rest)
        if body_len is TO_EOF:
            self.statuses.append(str(status))
            self.buf = b""
            return False
        if body_len is NEED_MORE or len(rest) < body_len:
            return False
        self.statuses.append(str(status))
        self.buf = rest[body_len:]
        return True


def recv_until(sock, resp, want, deadline):
    """Reads into resp until it holds `want` responses, EOF or the deadline.
    Returns True when the server closed the connection."""
    while len(resp.statuses) < want or want < 0:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False
        except OSError:  # reset: closed, maybe before we read everything
            return True
        if not data:
            return True
        resp.feed(data)
    return False


def observe(port, data, expect):
    s = socket.create_connection(("127.0.0.1", port), timeout=CASE_DEADLINE)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may refuse early and reset; read what it said
        resp = Responses()
        deadline = time.monotonic() + CASE_DEADLINE
        closed = recv_until(s, resp, expected_count(expect), deadline)
        if not closed:
            # Anything more (a smuggled request answered) shows up now. A
            # close must come at once after the last answer (well within the
            # 1 s idle timeout, which would close any connection); with no
            # answer expected, the idle timeout is what closes it.
            wait = 0.5 if expect.endswith("close") else 0.3
            until = deadline if expected_count(expect) == 0 else time.monotonic() + wait
            closed = recv_until(s, resp, -1, min(deadline, until))
        if closed:
            return ",".join(resp.statuses) + ("/" if resp.statuses else "") + "close"
        before = len(resp.statuses)
        try:
            s.sendall(SENTINEL)
        except OSError:
            return ",".join(resp.statuses) + "/close"
        recv_until(s, resp, before + 1, time.monotonic() + 3.0)
        got = resp.statuses[:before]
        tail = "open" if len(resp.statuses) > before and resp.statuses[before] == "200" else "stuck"
        return ",".join(got) + ("/" if got else "") + tail
    finally:
        s.close()


def matches(expect, got):
    e_head, _, e_tail = expect.rpartition("/") if "/" in expect else ("", "", expect)
    g_head, _, g_tail = got.rpartition("/") if "/" in got else ("", "", got)
    if e_tail != g_tail:
        return False
    e, g = e_head.split(",") if e_head else [], g_head.split(",") if g_head else []
    return len(e) == len(g) and all(
        x == y or (x.endswith("xx") and y[:1] == x[:1]) for x, y in zip(e, g))


def start_servers(args, work):
    """Starts the servers asked for; returns ({name: port}, [servers started])."""
    ports, servers = {}, []
    if args.only != "nginx" and args.port:
        ports["coroserve"] = args.port
    elif args.only != "nginx":
        servers.append(Coroserve("coroserve", work, args.coroserve, 1, COROSERVE_ARGS))
    if args.only != "coroserve":
        if not shutil.which("nginx"):
            install_bench_deps()
        servers.append(Nginx(work, conf="nginx-corpus.conf"))
    return ports, servers


def run_corpus(cases, ports):
    """Prints the table; returns {server: cases answered as expected}."""
    names = list(ports)
    print("| case | category | expected | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(names))
    tally = {n: 0 for n in names}
    for fname, expect, category, _note, bug, data in cases:
        cells = []
        for n in names:
            got = observe(ports[n], data, expect)
            ok = matches(expect, got)
            tally[n] += ok
            cells.append(got if ok else "**%s**" % got)
        label = fname[:-5] + (" (known bug)" if bug else "")
        print("| %s | %s | %s | %s |" % (label, category, expect, " | ".join(cells)), flush=True)
    print()
    for n in names:
        print("%s: %d of %d cases as expected" % (n, tally[n], len(cases)))
    return tally


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["coroserve", "nginx"])
    ap.add_argument("--port", type=int, help="use a server already on this port (coroserve column)")
    ap.add_argument("--coroserve", default=os.environ.get("COROSERVE", coroserve_binary()))
    ap.add_argument("--filter", default="", help="only cases whose file name contains this")
    args = ap.parse_args()

    processes.install_cleanup()
    cases = [c for c in load_manifest() if args.filter in c[0]]
    work = tempfile.mkdtemp(prefix="corpus-vs-nginx-")
    try:
        ports, servers = start_servers(args, work)
        with running(*servers):
            ports.update({s.name: s.port for s in servers})
            tally = run_corpus(cases, dict(sorted(ports.items(), key=lambda kv: ORDER[kv[0]])))
            dead = [s for s in servers if not s.alive()]
            if dead:
                sys.exit("%s died during the corpus (status %s)"
                         % (dead[0].name, dead[0].proc.returncode))
        known = sum(1 for c in cases if c[4])
        return 0 if tally.get("coroserve", len(cases)) >= len(cases) - known else 1
    finally:
        processes.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
