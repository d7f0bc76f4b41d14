#!/usr/bin/env python3
"""HTTPS to a coroserve with Python's ssl module, as a second, independent
TLS client: the chain verifies against the root alone, by DNS name and by
each IP address in the certificate; ALPN is http/1.1; TLS 1.2 and 1.3 are
served; a session resumes by ticket; TLS 1.1 and 1.0 are refused.

    python_client.py PORT CA_FILE

Prints one line per check and exits 1 when any fails.
"""
import socket
import ssl
import sys

REQUEST = b"GET /plaintext HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"


def context(ca, version=None, legacy=False):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca)
    ctx.set_alpn_protocols(["http/1.1"])
    if legacy:  # let the client offer what the server must refuse
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    if version is not None:
        ctx.minimum_version = ctx.maximum_version = version
    return ctx


def get(port, ctx, name="localhost", session=None):
    """GET /plaintext; returns (body, the TLS socket's facts, its session)."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as raw:
        with ctx.wrap_socket(raw, server_hostname=name, session=session) as tls:
            tls.sendall(REQUEST)
            data = b""
            while chunk := tls.recv(65536):
                data += chunk
            facts = {"version": tls.version(), "alpn": tls.selected_alpn_protocol(),
                     "resumed": tls.session_reused}
            session = tls.session
            try:  # a close_notify of ours keeps the session resumable in OpenSSL
                tls.unwrap()
            except (ssl.SSLError, OSError):
                pass
            return data.split(b"\r\n\r\n", 1)[-1], facts, session


def main():
    port, ca = int(sys.argv[1]), sys.argv[2]
    failures = []

    def check(what, ok, detail=""):
        print(f"{'ok  ' if ok else 'FAIL'} {what} {detail}")
        if not ok:
            failures.append(what)

    for name in ("localhost", "127.0.0.1", "::1"):
        body, facts, _ = get(port, context(ca), name)
        check(f"served, verified as {name}", body == b"Hello, World!", facts)
        check(f"ALPN http/1.1 as {name}", facts["alpn"] == "http/1.1")
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        ctx = context(ca, version)
        _, first, session = get(port, ctx)
        check(f"{version.name} served", first["version"] == version.name.replace("_", "."), first)
        _, again, _ = get(port, ctx, session=session)
        check(f"{version.name} session resumed", again["resumed"], again)
    for version in (ssl.TLSVersion.TLSv1_1, ssl.TLSVersion.TLSv1):
        try:
            get(port, context(ca, version, legacy=True))
            check(f"{version.name} refused", False, "it was served")
        except (ssl.SSLError, ConnectionError) as e:
            check(f"{version.name} refused", True, type(e).__name__)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
