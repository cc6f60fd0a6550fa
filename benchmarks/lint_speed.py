"""Speed of `lazyaudit lint` over a large tree (Django's own source), against the parse
it cannot do without.

Side by side, median of several rounds, the variants taking turns, all in this
process (CPU time, user + system):

  ast.parse        finding every file (as lint does), reading it and parsing it with
                   the standard library
  lazyaudit scan   rank's scan: parse, walk, classify every use of every import
  lazyaudit lint   everything lint does but print: the same scan (one parse per
                   file, its tree kept), the facts of every file, names resolved
                   across modules, entry points, the call graph, the five rules

Goal: lint within 2x of ast.parse in CPU time.

    python benchmarks/lint_speed.py [--rounds N] [DIR]
"""

from __future__ import annotations

import ast
import sys
import time
from pathlib import Path
from statistics import median

from common import Run, machine, parser, print_table, ratio, rounds

from lazyaudit.analysis.lint import lint_project
from lazyaudit.analysis.sources import decode_source, python_files, scan_tree


def in_process(work) -> Run:
    started, cpu = time.perf_counter_ns(), time.process_time_ns()
    out = work()
    return Run(time.perf_counter_ns() - started, time.process_time_ns() - cpu, 0, str(out))


def parse_only(root: Path) -> int:
    files = python_files(root)
    for path in files:
        try:
            ast.parse(decode_source(path.read_bytes()), str(path))
        except (SyntaxError, ValueError):
            pass
    return len(files)


def main() -> int:
    import django

    parse = parser(__doc__)
    parse.add_argument("root", nargs="?", help="the tree to lint (default: Django's source)")
    parse.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parse.parse_args()
    root = Path(args.root or Path(django.__file__).parent)
    if args.quick and args.root is None:
        root = root / "contrib" / "admin"      # a few dozen files
    files = python_files(root)
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    variants = {
        "ast.parse": lambda: in_process(lambda: parse_only(root)),
        "lazyaudit scan": lambda: in_process(lambda: len(scan_tree(root).files)),
        "lazyaudit lint": lambda: in_process(lambda: len(lint_project(root)[1])),
    }
    results = rounds(variants, 1 if args.quick else args.rounds)

    print(machine(), end="\n\n")
    print(f"{len(files)} files, {lines} lines under {root}; "
          f"median of {len(results['ast.parse'])} rounds")
    wall = {name: median(r.wall_ns for r in runs) for name, runs in results.items()}
    cpu = {name: median(r.cpu_ns for r in runs) for name, runs in results.items()}
    rows = [[name, f"{wall[name] / 1e9:.3f}", f"{cpu[name] / 1e9:.3f}",
             f"{lines / (wall[name] / 1e9):,.0f}", ratio(cpu[name], cpu["ast.parse"])]
            for name in results]
    print_table(["variant", "wall s", "CPU s", "lines/s (wall)", "CPU vs ast.parse"], rows,
                args.markdown)
    print(f"lazyaudit lint reported {results['lazyaudit lint'][0].out} findings")
    lint = cpu["lazyaudit lint"] / cpu["ast.parse"]
    print(f"lazyaudit lint within 2x of ast.parse: CPU {lint:.2f}x "
          f"(wall {wall['lazyaudit lint'] / wall['ast.parse']:.2f}x): "
          f"{'holds' if lint <= 2 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
