"""Speed of the call-site scan against plain `ast.parse` of the same files.

Goal: lazyaudit's scan (parse + walk + classify every use) within 2x of parsing
alone. Runs over Django's own source, median of several rounds, side by side.

    python benchmarks/scan_speed.py [--rounds N] [DIR]
"""

import argparse
import ast
import time
from pathlib import Path
from statistics import median

from lazyaudit.analysis.sources import python_files, scan_tree


def parse_only(files):
    for path in files:
        try:
            ast.parse(path.read_bytes(), str(path))
        except SyntaxError:
            pass


def main():
    import django

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(Path(django.__file__).parent))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(args.root)
    files = python_files(root)
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    parse_times, scan_times = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        parse_only(files)
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        scan_tree(root)
        scan_times.append(time.perf_counter() - started)
    parse, scan = median(parse_times), median(scan_times)
    print(f"{len(files)} files, {lines} lines under {root}")
    print(f"{'ast.parse':>12} {parse:7.2f} s  {lines / parse:9.0f} lines/s")
    print(f"{'lazyaudit':>12} {scan:7.2f} s  {lines / scan:9.0f} lines/s")
    print(f"ratio scan/parse: {scan / parse:.2f}x (goal: at most 2x)")


if __name__ == "__main__":
    main()
