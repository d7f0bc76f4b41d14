#!/usr/bin/env python3
"""Python peer for `make bench`, the CPU endpoint's row: aiohttp on one
asyncio loop, CPU work handed to a ProcessPoolExecutor with run_in_executor --
the classic Python answer to the same split coroserve makes.

    python3 bench/peers/aiohttp_server.py --port PORT --workers 2

GET /plaintext          -> "Hello, World!"
GET /cpu/primes?n=N     -> {"n": N, "primes": pi(N), ...}, like coroserve's
                           /cpu/primes?n=N&split=1 (one worker per request)

The sieve is not coroserve's segmented sieve transcribed (in pure Python that
would be unfairly slow): it is the fastest reasonable pure-Python one, an
odd-only bytearray sieve whose inner loop is a C-level slice assignment, and
bytearray.count() to count. n is capped at 2*10^8 (a 100 MB bytearray).
"""
import argparse
import asyncio
import json
import math
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from aiohttp import web

MAX_N = 200_000_000


def count_primes(n: int) -> int:
    """pi(n): the number of primes <= n."""
    if n < 2:
        return 0
    if n < 3:
        return 1
    # Index i stands for the odd number 2i+1, for every odd number <= n.
    size = (n + 1) // 2
    sieve = bytearray(b"\x01") * size
    sieve[0] = 0  # 1 is not prime
    for i in range(1, (math.isqrt(n) - 1) // 2 + 1):
        if sieve[i]:
            p = 2 * i + 1
            start = p * p // 2  # index of p*p; step p in index is 2p in value
            sieve[start::p] = bytes((size - 1 - start) // p + 1)
    return sieve.count(1) + 1  # + 1 for the prime 2


def bad_request(detail: str) -> web.Response:
    body = {"error": "invalid_parameter", "detail": detail, "status": 400}
    return web.json_response(body, status=400)


async def plaintext(_request: web.Request) -> web.Response:
    return web.Response(text="Hello, World!", content_type="text/plain")


async def primes(request: web.Request) -> web.Response:
    try:
        n = int(request.query.get("n", "10000000"))
    except ValueError:
        return bad_request("parameter 'n' is not an integer")
    if not 0 <= n <= MAX_N:
        return bad_request(f"parameter 'n' is out of range: {n} (allowed: 0..{MAX_N})")
    loop = asyncio.get_running_loop()
    count = await loop.run_in_executor(request.app["pool"], count_primes, n)
    body = {"n": n, "primes": count, "where": "pool", "parts": 1}
    return web.Response(text=json.dumps(body), content_type="application/json")


async def warm_pool(app: web.Application) -> None:
    # Start every worker process now, not inside the first measured requests.
    loop = asyncio.get_running_loop()
    pool = app["pool"]
    workers = app["workers"]
    await asyncio.gather(*(loop.run_in_executor(pool, count_primes, 1000) for _ in range(workers)))


async def close_pool(app: web.Application) -> None:
    app["pool"].shutdown(wait=False, cancel_futures=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    app = web.Application()
    app["workers"] = args.workers
    app["pool"] = ProcessPoolExecutor(max_workers=args.workers)
    app.router.add_get("/plaintext", plaintext)
    app.router.add_get("/cpu/primes", primes)
    app.on_startup.append(warm_pool)
    app.on_cleanup.append(close_pool)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"aiohttp_server listening on {args.host}:{args.port}", flush=True)
    web.run_app(app, host=args.host, port=args.port, access_log=None, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
