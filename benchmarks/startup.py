"""lazyaudit's own start-up: what it loads and how long it takes before it works.

  bare python           an interpreter that only records its modules, for reference
  lazyaudit --help      the console script, to exit
  lazyaudit measure     from spawn until the moment it starts the probe, that is,
                        before the target's first line runs (seen through an audit
                        hook on subprocess.Popen)

Modules are counted in sys.modules (for measure: when the probe is spawned),
and the list of packages beyond the bare interpreter's is printed. The median
of several runs, the variants taking turns. lazyaudit must never load libcst
for these; the target's own numbers never include lazyaudit's modules, since
the target runs in a separate process.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import PROJECTS, CommandFailed, machine, ms, parser, print_table, rounds, run

HEAVY = ("libcst", "tabulate", "importlib_metadata")   # needed only after the boot, if at all
SAMPLE = PROJECTS[0]

# Runs lazyaudit's console entry point as its script does, and records, at exit
# or when the probe is spawned, the time and sys.modules into $BENCH_OUT.
LAUNCHER = """
import atexit, json, os, sys, time

def record(*_):
    if not os.path.exists(os.environ["BENCH_OUT"]):
        with open(os.environ["BENCH_OUT"], "w") as out:
            json.dump({"at": time.monotonic_ns(), "cpu": time.process_time_ns(),
                       "modules": sorted(sys.modules)}, out)

def on_spawn(event, args):
    if event == "subprocess.Popen" and "probe.py" in " ".join(map(str, args[1])):
        record()

sys.addaudithook(on_spawn)
atexit.register(record)
sys.argv[0] = "lazyaudit"
from lazyaudit.cli import main
main()
"""


def timed(argv: list, scratch: Path) -> dict:
    """Run a command; return the time until it recorded, and its modules then."""
    output = scratch / "modules.json"
    output.unlink(missing_ok=True)
    started = time.monotonic_ns()
    run(argv, cwd=scratch, env={**os.environ, "BENCH_OUT": str(output)})
    recorded = json.loads(output.read_text())
    return {"ns": recorded["at"] - started, "cpu_ns": recorded["cpu"],
            "modules": recorded["modules"]}


def commands_for(scratch: Path) -> dict:
    bare = ("import atexit, json, os, sys, time\n"
            "def record():\n"
            "    with open(os.environ['BENCH_OUT'], 'w') as out:\n"
            "        json.dump({'at': time.monotonic_ns(), 'cpu': time.process_time_ns(),\n"
            "                   'modules': sorted(sys.modules)}, out)\n"
            "atexit.register(record)\n")
    lazyaudit = [sys.executable, "-c", LAUNCHER]
    return {
        "bare python": [sys.executable, "-c", bare],
        "lazyaudit --help": [*lazyaudit, "--help"],
        "lazyaudit measure, until the probe starts": [
            *lazyaudit, "measure", "--project", SAMPLE.path, "--no-tracemalloc", "--no-rank"],
    }


def packages(modules: list[str], bare: set[str]) -> list[str]:
    return sorted({name.partition(".")[0] for name in modules if name not in bare})


def import_time_by_package(argv: list, scratch: Path, counted: set[str]) -> str:
    """One run under -X importtime: the self time of the `counted` modules, summed by
    top-level package, largest first."""
    completed = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], cwd=scratch,
                               env={**os.environ, "BENCH_OUT": str(scratch / "importtime.json")},
                               capture_output=True, text=True, check=True)
    by_package: dict[str, int] = {}
    for line in completed.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            self_us, _, name = (part.strip() for part in line[len("import time:"):].split("|"))
            if self_us.isdigit() and name in counted:
                package = name.partition(".")[0]
                by_package[package] = by_package.get(package, 0) + int(self_us)
    top = sorted(by_package.items(), key=lambda item: -item[1])[:6]
    return ", ".join(f"{package} {us / 1000:.1f} ms" for package, us in top)


def main() -> int:
    parse = parser(__doc__)
    parse.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    args = parse.parse_args()
    scratch = tempfile.mkdtemp(prefix="lazyaudit-bench-")
    try:
        return report(Path(scratch), 1 if args.quick else args.runs, args.markdown)
    except CommandFailed as failure:
        print(f"a command failed: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(scratch)


def report(scratch: Path, runs: int, markdown: bool) -> int:
    commands = commands_for(scratch)
    results = rounds({name: lambda argv=argv: timed(argv, scratch)
                      for name, argv in commands.items()}, runs)
    print(machine(), end="\n\n")
    bare = set(results["bare python"][0]["modules"])
    rows, notes = [], []
    for name, samples in results.items():
        modules = samples[0]["modules"]
        added = [module for module in modules if module not in bare]
        heavy = sorted({m.partition(".")[0] for m in modules} & set(HEAVY))
        rows.append([name, ms(median(r["ns"] for r in samples)),
                     ms(median(r["cpu_ns"] for r in samples)), len(modules), len(added),
                     ", ".join(heavy) or "none"])
        if added:
            notes.append(f"{name} adds: {', '.join(packages(modules, bare))}")
            notes.append(f"  its import time by package (self time under -X importtime, one run): "
                         f"{import_time_by_package(commands[name], Path(scratch), set(added))}")
    print(f"median of {runs} runs; time from spawn until exit, or until the probe is spawned")
    print_table(["command", "wall ms", "CPU ms", "modules", "beyond a bare interpreter",
                 "heavy modules loaded"], rows, markdown)
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
