"""Speed of `lazyaudit fix --select` over a large tree (a copy of Django's own source).

Side by side, median of several rounds, the variants taking turns:

  floor        what any such tool must do: `ast.parse` of every file, then libcst's
               parse and code generation of the files that change (in this process)
  fix          `lazyaudit fix --select MODULES --dry-run --format json`, end to end in a
               subprocess (its start-up, the scan, the plan, the rewrite and the diff)

MODULES is every module Django imports at module level, so that every file with
such an import is a candidate. CPU time is user + system. Goal: fix within 3x of
the floor.

    python benchmarks/fix_speed.py [--rounds N] [--quick]
"""

from __future__ import annotations

import ast
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import libcst as cst
from common import Run, machine, parser, print_table, ratio, rounds, run

from lazyaudit.analysis.sources import python_files, scan_tree


def module_level_imports(root: Path) -> list[str]:
    """Every absolute module the tree imports at module level."""
    return sorted({module for usage in scan_tree(root).files for statement in usage.statements
                   if not statement.function and not statement.level and not statement.future
                   for module in statement.modules})


def floor(files: list[Path], changed: list[Path]) -> Run:
    started, cpu = time.perf_counter_ns(), time.process_time_ns()
    for path in files:
        ast.parse(path.read_bytes(), str(path))
    for path in changed:
        cst.parse_module(path.read_bytes()).bytes
    return Run(time.perf_counter_ns() - started, time.process_time_ns() - cpu, 0, "")


def main() -> int:
    import django

    parse = parser(__doc__)
    parse.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parse.parse_args()
    source = Path(django.__file__).parent
    with tempfile.TemporaryDirectory(prefix="lazyaudit-fix-speed-") as scratch:
        root = Path(scratch) / "django"
        shutil.copytree(source / "core" / "mail" if args.quick else source, root)
        files = python_files(root)
        lines = sum(path.read_bytes().count(b"\n") for path in files)
        modules = module_level_imports(root)
        fix = [sys.executable, "-m", "lazyaudit", "fix", "--project", root, "--select",
               ",".join(modules), "--dry-run", "--format", "json"]
        changed = [root / name for name in json.loads(run(fix).out)["files"]]
        results = rounds({"floor": lambda: floor(files, changed), "fix": lambda: run(fix)},
                         1 if args.quick else args.rounds)

    print(machine(), end="\n\n")
    print(f"{len(files)} files, {lines} lines; {len(modules)} modules selected, "
          f"{len(changed)} files changed; median of {len(results['fix'])} rounds")
    wall = {name: median(r.wall_ns for r in runs) for name, runs in results.items()}
    cpu = {name: median(r.cpu_ns for r in runs) for name, runs in results.items()}
    print_table(["variant", "wall s", "CPU s", "wall vs floor", "CPU vs floor"],
                [[name, f"{wall[name] / 1e9:.2f}", f"{cpu[name] / 1e9:.2f}",
                  ratio(wall[name], wall["floor"]), ratio(cpu[name], cpu["floor"])]
                 for name in results], args.markdown)
    factor = cpu["fix"] / cpu["floor"]
    print(f"fix --select within 3x of the floor: CPU {factor:.2f}x: "
          f"{'holds' if factor <= 3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
