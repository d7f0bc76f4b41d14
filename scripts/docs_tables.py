#!/usr/bin/env python3
"""Puts the generated reference tables into README.md and docs/*.md.

A table is marked in Markdown as

    <!-- generated: NAME -->
    ...
    <!-- end generated -->

and its content is what `doc_tables NAME` prints (tools/doc_tables.cpp reads
the code's own option and endpoint tables). `--check` changes nothing and
exits 1, naming each stale table, when a file differs from what it would
write: the CTest test docs_tables_fresh runs it that way.

    scripts/docs_tables.py --tool build/release/tools/doc_tables [--check]
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKED = re.compile(r"(<!-- generated: ([a-z0-9-]+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def documents():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


def regenerate(text, tool, cache):
    def table(match):
        name = match.group(2)
        if name not in cache:
            cache[name] = subprocess.run([tool, name], check=True, capture_output=True,
                                         text=True).stdout
        return match.group(1) + cache[name] + match.group(4)
    return MARKED.sub(table, text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tool", required=True, help="the doc_tables binary")
    ap.add_argument("--check", action="store_true", help="report stale tables, change nothing")
    args = ap.parse_args()
    cache, stale = {}, []
    for path in documents():
        with open(path, encoding="utf-8") as f:
            old = f.read()
        new = regenerate(old, args.tool, cache)
        if new == old:
            continue
        names = sorted({m[1] for m in MARKED.findall(old)})
        stale.append(f"{os.path.relpath(path, ROOT)} ({', '.join(names)})")
        if not args.check:
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
    if args.check and stale:
        print("stale generated tables in: " + "; ".join(stale) + "\nrun `make docs` to refresh them",
              file=sys.stderr)
        return 1
    if not cache:
        print("no generated tables found", file=sys.stderr)
        return 1
    for line in stale:
        print("updated " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
