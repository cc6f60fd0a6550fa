"""Speed of lazyaudit's static analysis over a large tree (Django's own source).

Side by side, median of several rounds, the variants taking turns:

  ast.parse             parsing every file with the standard library, nothing more
  lazyaudit scan        what `rank` runs on a project: parse, walk, and classify
                        every use of every imported name (analysis.sources.scan_tree)
  ruff TID253           `ruff check --select TID253`: flags module-level imports of
                        banned modules; a simpler question, asked by native code
  ruff F401             `ruff check --select F401` (unused imports): resolves every
                        name's uses, the nearest thing ruff does to lazyaudit's scan

ast.parse and the scan run in this process; ruff runs as a subprocess (its
start-up included, ~10 ms), without its cache, once with its default thread
pool and once with one thread (RAYON_NUM_THREADS=1). CPU time is user +
system: for multi-threaded ruff it can exceed wall time; on a machine shared with
other work it is the steadier measure. Goal: lazyaudit's scan within 1.5x of
ast.parse in CPU time.

    python benchmarks/scan_speed.py [--rounds N] [DIR]
"""

from __future__ import annotations

import ast
import os
import re
import sys
import time
from pathlib import Path
from statistics import median

from common import (Run, ToolMissing, machine, parser, print_table, ratio, rounds, ruff_path,
                    run)

from lazyaudit.analysis.sources import python_files, scan_tree

BANNED = "lint.flake8-tidy-imports.banned-module-level-imports = ['pandas', 'numpy', 'json']"


def in_process(work) -> Run:
    started, cpu = time.perf_counter_ns(), time.process_time_ns()
    work()
    return Run(time.perf_counter_ns() - started, time.process_time_ns() - cpu, 0, "")


def parse_only(files: list[Path]) -> None:
    for path in files:
        try:
            ast.parse(path.read_bytes(), str(path))
        except SyntaxError:
            pass


def ruff(root: Path, rules: list[str], threads: int | None, install: bool):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    command = [ruff_path(install), "check", "--isolated", "--no-cache", "--exit-zero",
               "--output-format", "concise", *rules, str(root)]
    return lambda: run(command, env=env)


def variants(root: Path, files: list[Path], install_tools: bool) -> dict:
    found = {
        "ast.parse": lambda: in_process(lambda: parse_only(files)),
        "lazyaudit scan": lambda: in_process(lambda: scan_tree(root)),
    }
    try:
        tid253 = ["--select", "TID253", "--config", BANNED]
        found["ruff TID253"] = ruff(root, tid253, None, install_tools)
        found["ruff TID253, 1 thread"] = ruff(root, tid253, 1, install_tools)
        found["ruff F401"] = ruff(root, ["--select", "F401"], None, install_tools)
        found["ruff F401, 1 thread"] = ruff(root, ["--select", "F401"], 1, install_tools)
    except ToolMissing as missing:
        print(f"ruff skipped: {missing}", file=sys.stderr)
    return found


def main() -> int:
    import django

    parse = parser(__doc__)
    parse.add_argument("root", nargs="?", help="the tree to scan (default: Django's source)")
    parse.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parse.parse_args()
    root = Path(args.root or Path(django.__file__).parent)
    if args.quick and args.root is None:
        root = root / "dispatch"      # a few files
    files = python_files(root)
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    results = rounds(variants(root, files, not args.quick), 1 if args.quick else args.rounds)

    print(machine(), end="\n\n")
    print(f"{len(files)} files, {lines} lines under {root}; "
          f"median of {len(results['ast.parse'])} rounds")
    wall = {name: median(r.wall_ns for r in runs) for name, runs in results.items()}
    cpu = {name: median(r.cpu_ns for r in runs) for name, runs in results.items()}
    rows = [[name, f"{wall[name] / 1e9:.3f}", f"{cpu[name] / 1e9:.3f}",
             f"{lines / (wall[name] / 1e9):,.0f}", ratio(wall[name], wall["ast.parse"]),
             ratio(cpu[name], cpu["ast.parse"])]
            for name in results]
    print_table(["variant", "wall s", "CPU s", "lines/s (wall)", "wall vs ast.parse",
                 "CPU vs ast.parse"], rows, args.markdown)
    for name in ("ruff TID253", "ruff F401"):
        if name in results:
            found = re.search(r"Found (\d+) error", results[name][0].out)
            print(f"{name} reported {found.group(1) if found else 0} findings")
    scan = cpu["lazyaudit scan"] / cpu["ast.parse"]
    print(f"lazyaudit scan within 1.5x of ast.parse: CPU {scan:.2f}x "
          f"(wall {wall['lazyaudit scan'] / wall['ast.parse']:.2f}x): "
          f"{'holds' if scan <= 1.5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
