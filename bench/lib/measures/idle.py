"""RSS per idle keep-alive connection: open many connections, one request on
each, leave them idle, and read the growth of the serving process's VmRSS."""
import re
import socket
import ssl
import time

from .. import processes
from ..paths import coroserve_binary
from ..peers import BareBeast, Coroserve, Nginx, Node

REQUEST = b"GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def _one_answer(s, name, index):
    """Sends one request on s and reads its whole answer (Content-Length)."""
    s.sendall(REQUEST)
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError(f"{name} closed connection {index}")
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length:\s*(\d+)", head) if sep else None
        if m and len(body) >= int(m.group(1)):
            break
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"{name}: {head[:60]!r}")


def _closed_by_peer(socks):
    """How many of socks the server has closed: a non-blocking read sees EOF
    (a peek on a plain socket; a TLS socket cannot peek, and an idle one has
    nothing to read but a close)."""
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            data = s.recv(1) if isinstance(s, ssl.SSLSocket) else s.recv(1, socket.MSG_PEEK)
            closed += data == b""
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
        except (ssl.SSLError, ConnectionError):
            closed += 1
    return closed


def _connect(server):
    """A connection to server, TLS (trusting its CA) when it serves HTTPS."""
    s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return processes.tls_context(server.cafile).wrap_socket(s) if server.cafile else s


def rss_growth(server, conns):
    pid = server.pid()
    server.get("/plaintext")
    time.sleep(0.3)
    before = processes.read_rss_kib(pid)
    socks = []
    t0 = time.monotonic()
    try:
        for i in range(conns):
            socks.append(_connect(server))
            _one_answer(socks[-1], server.name, i + 1)
        open_s = time.monotonic() - t0
        time.sleep(1.0)
        after = processes.read_rss_kib(pid)
        # Every connection must still be open: a server that closed idle ones
        # would look cheap.
        closed = _closed_by_peer(socks)
    finally:
        for s in socks:
            s.close()
    return {"connections": conns, "rss_before_kib": before, "rss_after_kib": after,
            "bytes_per_conn": (after - before) * 1024 / conns, "closed_by_server": closed,
            "open_s": round(open_s, 2)}


def idle_rss(ctx):
    conns = ctx.settings["idle_connections"]
    processes.log(f"== RSS per idle keep-alive connection, {conns} connections")
    rss = {}
    for s in [Coroserve("coroserve", ctx.work, coroserve_binary(ctx.build)),
              BareBeast(ctx.work, ctx.build), Nginx(ctx.work), Node(ctx.work)]:
        with ctx.running(s):
            rss[s.name] = r = rss_growth(s, conns)
        processes.log(f"  {s.name:12s} {r['bytes_per_conn']:8.0f} B/connection  (VmRSS "
                      f"{r['rss_before_kib']} -> {r['rss_after_kib']} KiB, "
                      f"{r['closed_by_server']} closed by the server)")
    ctx.runner.commands.setdefault("idle connections", f"{conns} × (connect; GET /plaintext; "
                                   "read the answer; keep open), then VmRSS of the serving "
                                   "process from /proc/PID/status after 1 s")
    return rss
