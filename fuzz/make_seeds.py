#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ (committed; rerun after
changing the hostile corpus). The request-path seeds are the hostile corpus
itself (tests/corpus/cases), each once whole and once cut into 7-byte pieces
(the first byte of a request_path input is the piece size, 0 = whole)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


cases = os.path.join(ROOT, "tests", "corpus", "cases")
for fname in sorted(os.listdir(cases)):
    with open(os.path.join(cases, fname), "rb") as f:
        data = f.read()
    if len(data) > 20000:
        continue  # the size cases: libFuzzer's -max_len would cut them anyway
    write("request_path", fname[:-5] + "-whole", b"\x00" + data)
    write("request_path", fname[:-5] + "-7", b"\x07" + data)
for i, t in enumerate([b"GET /cpu/primes?n=1000&split=2&where=pool HTTP/1.1\r\nHost: t\r\n\r\n",
          b"GET /io/fanout?n=3&ms=1 HTTP/1.1\r\nHost: t\r\n\r\n",
          b"HEAD /cpu/hash?rounds=5&size=9 HTTP/1.1\r\nHost: t\r\n\r\n",
          b"GET /cpu/mandelbrot?w=4&h=4&iter=9 HTTP/1.0\r\n\r\n",
          b"DELETE /echo HTTP/1.1\r\nHost: t\r\n\r\n"]):
    write("request_path", "route-%d" % i, b"\x00" + t)

for i, q in enumerate([b"n=1000&split=4&where=loop", b"n=%31%30", b"a=1&&b=2", b"=x", b"n=1&n=2",
                       b"n=18446744073709551616", b"where=%70ool", b"spilt=2", b"n", b"n=",
                       b"%ff=%00", b"w=4096&h=4096&iter=10000", b"ms=-1", b"size=+5"]):
    write("query", "q%02d" % i, q)

MIX = [b"3 GET /plaintext\n1 POST /echo {\"a\": 1}\n",
       b"# comment\n\n2 GET http://127.0.0.1:8080/healthz\n",
       b"1 HEAD /cpu/hash?rounds=5\r\n1 GET /io/sleep?ms=1\n",
       b"0 GET /x\n", b"1000001 GET /\n", b"1 G@T /\n", b"1 GET\n",
       b"1 GET http://other:80/x\n", b"1\tPOST\t/echo\t  body with spaces  \n"]
for i, m in enumerate(MIX):
    write("mix", "m%02d" % i, m)

RESP = [b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n",
        b"HTTP/1.0 200 OK\r\n\r\nclose-delimited body",
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 2\r\n"
        b"Connection: close\r\n\r\n{}"]
for i, r in enumerate(RESP):
    write("response", "r%02d-whole" % i, b"\x00" + r)
    write("response", "r%02d-head-3" % i, b"\x83" + r)
