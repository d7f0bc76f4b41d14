#!/usr/bin/env python3
"""Size and complexity limits for the code people come here to read.

C++ in server/, client/ and common/ (recursively): no function over 60 lines
or over a cyclomatic complexity of 15 as pmccabe counts it (its first column
is the complexity, its fifth the lines), no file over 300 lines, and
server/session.cpp, the connection loop, at most 250. Python in bench/: no
module over 300 lines, no function over 60.

A declarative table of data (one entry a line: routes, options, parameters)
may be longer than 60 lines when the comment block right above its function
holds the marker `// lint: table` (`# lint: table` in Python). The marker
lifts the line limit of that one function only, never its complexity limit
nor its file's; a marker above no function, or above one within the limit,
is itself reported.

`--largest N` also prints the N longest and the N most complex C++ functions.

Prints one offender a line, `file:line: what: figures (limit)`, and exits 1
when there is any, 0 when there is none, 2 when pmccabe is missing or
misreads the constructs normalize() exists for.
"""

import ast
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CPP_DIRS = ("server", "client", "common")
CPP_SUFFIXES = (".cpp", ".hpp")
PY_DIRS = ("bench",)
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15
MAX_FILE_LINES = 300
FILE_LINE_LIMITS = {"server/session.cpp": 250}
MARKER = "lint: table"

ROOT = Path(__file__).resolve().parent.parent


def line_count(text):
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


def blank(text):
    """text as spaces, its newlines kept, so line numbers hold."""
    return re.sub(r"[^\n]", " ", text)


# pmccabe predates C++11: these constructs make it lose its place in a file,
# and after a trailing return type it does so silently. Each rewrite keeps
# every line where it was, so the figures it reports are the source's own.
DIGIT_SEPARATOR = re.compile(r"(?<![\w'])\d[0-9a-fA-FxXbB]*(?:'[0-9a-fA-F]+)+")
RAW_STRING = re.compile(r'\b(?:u8|[uUL])?R"([^()\\\s]{0,16})\((.*?)\)\1"', re.S)
NESTED_JOIN = "__ns__"  # `namespace a::b {` is read as one name, joined by this
NESTED_NAMESPACE = re.compile(r"\bnamespace\s+\w+(?:::\w+)+(?=\s*\{)")
SPECIFIER_CALL = re.compile(r"\b(?:noexcept|alignas)\b(?:\s*\((?:[^()]|\([^()]*\))*\))?")
VIRT_SPECIFIER = re.compile(r"\b(?:override|final)\b")
# After a parameter list: a ref-qualifier and a trailing return type.
AFTER_PARAMETERS = re.compile(r"(?<=\))(\s*(?:const\b\s*)?)(&{1,2}\s*)?(->[\w\s:<>,*&]+?)?(?=\s*\{)")


def normalize(text):
    text = DIGIT_SEPARATOR.sub(lambda m: m.group(0).replace("'", ""), text)
    text = RAW_STRING.sub(lambda m: '""' + "\n" * m.group(0).count("\n"), text)
    text = NESTED_NAMESPACE.sub(lambda m: m.group(0).replace("::", NESTED_JOIN), text)
    text = SPECIFIER_CALL.sub(lambda m: blank(m.group(0)), text)
    text = VIRT_SPECIFIER.sub(lambda m: blank(m.group(0)), text)
    return AFTER_PARAMETERS.sub(
        lambda m: m.group(1) + blank((m.group(2) or "") + (m.group(3) or "")), text)


def marker_lines(lines, comment):
    """1-based numbers of the lines that are exactly the table marker."""
    return {i for i, line in enumerate(lines, 1) if line.strip() == f"{comment} {MARKER}"}


def marked(lines, first_line, comment):
    """The marker line in the comment block right above first_line, or None."""
    i = first_line - 1
    while i >= 1 and lines[i - 1].strip().startswith(comment):
        if lines[i - 1].strip() == f"{comment} {MARKER}":
            return i
        i -= 1
    return None


class Report:
    def __init__(self):
        self.offenders = []
        self.functions = []  # (lines, complexity, "file:line name"), for --largest

    def add(self, path, line, what):
        self.offenders.append((str(path), line, what))

    def file_size(self, rel, text, limit):
        n = line_count(text)
        if n > limit:
            self.add(rel, 1, f"file: {n} lines (limit {limit})")

    def function(self, rel, line, name, lines, complexity, exempt):
        if complexity is not None:
            self.functions.append((lines, complexity, f"{rel}:{line} {name}"))
        if exempt and lines <= MAX_FUNCTION_LINES:
            self.add(rel, line, f"{name}: {lines} lines, within the limit, yet marked '{MARKER}'")
        too_long = lines > MAX_FUNCTION_LINES and not exempt
        too_complex = complexity is not None and complexity > MAX_COMPLEXITY
        if not (too_long or too_complex):
            return
        figures = f"{lines} lines" + (f", complexity {complexity}" if complexity is not None else "")
        limits = f"limits {MAX_FUNCTION_LINES} lines" + (
            f", complexity {MAX_COMPLEXITY}" if complexity is not None else "")
        self.add(rel, line, f"{name}: {figures} ({limits}{'; table' if exempt else ''})")

    def unused_markers(self, rel, markers, used):
        for line in sorted(markers - used):
            self.add(rel, line, f"'{MARKER}' marker above no function")

    def largest(self, n):
        """The n longest and the n most complex C++ functions, for people."""
        for key, title in ((0, "longest"), (1, "most complex")):
            print(f"{title} (lines, complexity):")
            for row in sorted(self.functions, key=lambda r: (-r[key], -r[1 - key]))[:n]:
                print(f"  {row[0]:4d} {row[1]:3d}  {row[2]}")

    def print(self):
        for path, line, what in sorted(self.offenders):
            print(f"{path}:{line}: {what}")
        count = len(self.offenders)
        print(f"lint: {count} offender{'s' if count != 1 else ''}" if count else "lint: ok",
              file=sys.stderr)
        return 1 if count else 0


PMCCABE_ROW = re.compile(r"^(\d+)\t\d+\t\d+\t(\d+)\t(\d+)\t(.+)\((\d+)\): (.*)$")
PMCCABE_DIAGNOSTIC = re.compile(r'^"(.+)", line (\d+): (.*)$')


def cpp_files():
    return sorted(p.relative_to(ROOT) for d in CPP_DIRS for p in (ROOT / d).rglob("*")
                  if p.suffix in CPP_SUFFIXES and p.is_file())


def run_pmccabe(files, sources):
    """pmccabe's rows and diagnostics for the normalized copies of files."""
    with tempfile.TemporaryDirectory(prefix="lint-") as tmp:
        for rel in files:
            copy = Path(tmp) / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(normalize(sources[rel]))
        done = subprocess.run(["pmccabe", *map(str, files)], cwd=tmp,
                              capture_output=True, text=True, check=False)
    return done.stdout.splitlines(), done.stderr.splitlines()


def lint_cpp(report):
    files = cpp_files()
    sources = {rel: (ROOT / rel).read_text() for rel in files}
    rows, diagnostics = run_pmccabe(files, sources)
    used = {rel: set() for rel in files}
    for row in rows:
        m = PMCCABE_ROW.match(row)
        if not m:
            report.add("pmccabe", 0, f"unexpected output: {row}")
            continue
        complexity, first, lines, rel, name_line, name = m.groups()
        rel, name = Path(rel), name.replace(NESTED_JOIN, "::")
        marker = marked(sources[rel].splitlines(), int(first), "//")
        if marker:
            used[rel].add(marker)
        report.function(rel, int(name_line), name, int(lines), int(complexity), marker is not None)
    for line in diagnostics:
        m = PMCCABE_DIAGNOSTIC.match(line)
        where, at, what = (m.groups() if m else ("pmccabe", "0", line))
        report.add(where, int(at), f"pmccabe cannot parse ({what}): functions here may go "
                   "unmeasured; rewrite the construct or teach normalize() in scripts/lint.py")
    for rel in files:
        limit = FILE_LINE_LIMITS.get(str(rel), MAX_FILE_LINES)
        report.file_size(rel, sources[rel], limit)
        report.unused_markers(rel, marker_lines(sources[rel].splitlines(), "//"), used[rel])


def lint_python_file(report, rel):
    text = (ROOT / rel).read_text()
    lines = text.splitlines()
    report.file_size(rel, text, MAX_FILE_LINES)
    try:
        tree = ast.parse(text, filename=str(rel))
    except SyntaxError as e:
        report.add(rel, e.lineno or 0, f"syntax error: {e.msg}")
        return
    used = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = min([node.lineno] + [d.lineno for d in node.decorator_list])
        marker = marked(lines, first, "#")
        if marker:
            used.add(marker)
        report.function(rel, node.lineno, node.name, node.end_lineno - first + 1, None,
                        marker is not None)
    report.unused_markers(rel, marker_lines(lines, "#"), used)


# Every construct normalize() rewrites, once each: if pmccabe misses one of
# these functions, the figures for the real sources cannot be trusted either.
SELF_TEST = """namespace a::b {
struct alignas(8) S final {
  int f() const noexcept(true) override { return 1'000; }
  auto g() const& -> int { return 2; }
  const char* h() { return R"(} {)"; }
};
}
"""
SELF_TEST_FUNCTIONS = {"a::b::S::f", "a::b::S::g", "a::b::S::h"}


def self_test():
    rel = Path("self_test.cpp")
    rows, diagnostics = run_pmccabe([rel], {rel: SELF_TEST})
    found = {m.group(6).replace(NESTED_JOIN, "::") for m in map(PMCCABE_ROW.match, rows) if m}
    if found != SELF_TEST_FUNCTIONS or diagnostics:
        print(f"lint: this pmccabe misreads modern C++ despite normalize(): found {sorted(found)}, "
              f"expected {sorted(SELF_TEST_FUNCTIONS)}; {diagnostics}", file=sys.stderr)
        return False
    return True


def main():
    largest = int(sys.argv[2]) if sys.argv[1:2] == ["--largest"] else 0
    if not shutil.which("pmccabe"):
        print("lint: pmccabe is missing; scripts/deps.sh installs it", file=sys.stderr)
        return 2
    if not self_test():
        return 2
    report = Report()
    lint_cpp(report)
    for rel in sorted(p.relative_to(ROOT) for d in PY_DIRS for p in (ROOT / d).rglob("*.py")):
        lint_python_file(report, rel)
    if largest:
        report.largest(largest)
    return report.print()


if __name__ == "__main__":
    sys.exit(main())
