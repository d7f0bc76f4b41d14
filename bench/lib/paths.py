"""Where things are: every script in bench/ resolves paths from here."""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
PEERS = os.path.join(BENCH, "peers")
RESULTS = os.path.join(BENCH, "results")
RELEASE = os.path.join(ROOT, "build", "release")
# Debian's interpreter: python3-aiohttp is installed for it, whatever python3
# happens to be first on PATH.
DEBIAN_PYTHON = "/usr/bin/python3"


def coroserve_binary(build_dir=RELEASE):
    return os.path.join(build_dir, "server", "coroserve")


def corobench_binary(build_dir=RELEASE):
    return os.path.join(build_dir, "client", "corobench")
