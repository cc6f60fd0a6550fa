"""How true lazyaudit's figures are, against the ground truth.

For pandas, boto3, numpy and the sample project's candidates (the imports its
ranking table shows, leaving out the project's own modules, which cannot be
imported without booting Django):

  true RSS           what importing only that module adds to a fresh interpreter:
                     the RSS of `python -c "import MOD"` minus that of a bare
                     `python -c ""` (both read /proc/self/statm at the end);
                     private (anonymous) and shared (file-backed) apart
  measure -m         what `lazyaudit measure -m MOD` says the boot added
  error              measure -m - true RSS, and its share of true RSS
  tracemalloc        the bytes tracemalloc saw during that import (its own run)
  share              tracemalloc / true RSS: how much of the cost measuring by
                     hand with tracemalloc would have found; in brackets, its
                     share of the private part alone
  in the sample boot the module's cumulative RSS in `lazyaudit measure` of the
                     sample project, and what ranking says deferring it saves
                     (with its verdict).
                     Lower than alone: Django and numpy loaded much of it before.
  after fix          for each safe candidate, the real drop: the sample project's
                     startup RSS minus that of a copy where `lazyaudit fix
                     --select MOD` deferred it; and last, the same for a copy
                     where plain `lazyaudit fix` deferred every safe candidate,
                     next to ranking's estimate for them together.

Every figure is the median of several runs; the measurements of the modules
take turns in every round.

    python benchmarks/truth.py [--runs N] [--module MOD ...]
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import (MIB, PROJECTS, CommandFailed, machine, mib, parser, print_table, ratio,
                    rounds, run)

SAMPLE = PROJECTS[0]
ALWAYS = ["pandas", "boto3", "numpy"]
READ_RSS = ("import os\n"
            "fields = open('/proc/self/statm').read().split()\n"
            "print(fields[1], fields[2], os.sysconf('SC_PAGE_SIZE'))\n")


def fresh_rss(module: str | None, cwd: Path) -> tuple[int, int]:
    """Private and shared RSS of a fresh interpreter that imported only `module`
    (None: nothing)."""
    code = (f"import {module}\n" if module else "") + READ_RSS
    resident, shared, page = map(int, run([sys.executable, "-c", code], cwd=cwd).out.split())
    return (resident - shared) * page, shared * page


def measure(args: list, scratch: Path) -> dict:
    output = scratch / "report.json"
    run([sys.executable, "-m", "lazyaudit", "measure", *args, "--format", "json",
         "--output", output], cwd=scratch)
    return json.loads(output.read_text())


def alone(module: str, scratch: Path):
    """One round for one module: the truth, and `measure -m` in an empty project."""
    def measure_alone():
        report = measure(["-m", module, "--project", scratch], scratch)
        totals = report["totals"]
        return {"added": totals["rss_bytes"] - totals["interpreter"]["rss_bytes"],
                "traced": totals["tracemalloc_bytes"]}
    return {
        f"truth {module}": lambda: fresh_rss(module, scratch),
        f"bare {module}": lambda: fresh_rss(None, scratch),
        f"measure {module}": measure_alone,
    }


def sample_boot(scratch: Path) -> dict:
    """The sample project's boot: {module: cumulative RSS, ranking's saving}."""
    report = measure(["--project", SAMPLE.path], scratch)
    cumulative = {m["name"]: m["cumulative"]["rss_bytes"] for m in report["modules"]}
    figures = {name: {"cumulative": rss} for name, rss in cumulative.items()}
    for candidate in report["candidates"]:
        figures.setdefault(candidate["module"], {}).update(
            saves=candidate["savings"]["rss_bytes"], verdict=candidate["verdict"])
    shown = [c["module"] for c in report["candidates"]
             if c["notable"] and c["kind"] != "first-party"]
    return {"figures": figures, "candidates": shown,
            "safe": [c["module"] for c in report["candidates"] if c["verdict"] == "safe"],
            "estimate": report["deferral"]["savings"]["rss_bytes"]}


def fixed_copy(scratch: Path, modules: list[str] | None) -> Path:
    """A copy of the sample project after `lazyaudit fix` (of `modules`, or of every
    safe candidate when None)."""
    copy = scratch / ("fixed-" + ("-".join(modules) if modules else "all"))
    shutil.copytree(SAMPLE.path, copy, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    select = ["--select", ",".join(modules)] if modules else ["--no-tracemalloc"]
    run([sys.executable, "-m", "lazyaudit", "fix", "--project", copy, *select], cwd=scratch)
    return copy


def startup_rss(project: Path, scratch: Path) -> int:
    report = measure(["--project", project, "--no-tracemalloc", "--no-rank"], scratch)
    return report["totals"]["rss_bytes"]


def median_of(results: list[dict], key: str) -> float | None:
    values = [result[key] for result in results if result.get(key) is not None]
    return median(values) if values else None


# The table's columns: (header, function of one module's medians). A further
# measurement of the sample boot adds one key to `sample_boot` and one line here.
COLUMNS = [
    ("module", lambda row: row["module"]),
    ("true RSS MiB (private/shared)",
     lambda row: f"{mib(row['truth'])} ({mib(row['private'])}/{mib(row['shared'])})"),
    ("measure -m MiB", lambda row: mib(row["added"])),
    ("error MiB", lambda row: f"{(row['added'] - row['truth']) / MIB:+.1f} "
                              f"({(row['added'] - row['truth']) / row['truth']:+.0%})"),
    ("tracemalloc MiB", lambda row: mib(row["traced"])),
    ("tracemalloc share (of private)",
     lambda row: f"{row['traced'] / row['truth']:.0%} ({row['traced'] / row['private']:.0%})"),
    ("in the sample boot: cum MiB", lambda row: _size(row.get("cumulative"))),
    ("ranking: saves MiB", lambda row: _size(row.get("saves"))
     + (f" ({row['verdict']})" if row.get("verdict") else "")),
    ("after fix: real drop MiB", lambda row: _size(row.get("drop"))),
]


def _size(value) -> str:
    return "-" if value is None else mib(value)


def main() -> int:
    parse = parser(__doc__)
    parse.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parse.add_argument("--module", action="append",
                       help="measure only this module (repeatable; default: pandas, boto3, "
                            "numpy and the sample project's candidates)")
    args = parse.parse_args()
    runs = 1 if args.quick else args.runs
    print(machine(), end="\n\n")
    with tempfile.TemporaryDirectory(prefix="lazyaudit-bench-") as name:
        scratch = Path(name)
        try:
            boots = [sample_boot(scratch) for _ in range(runs)]
            candidates = boots[0]["candidates"]
            modules = args.module or (["numpy"] if args.quick
                                      else list(dict.fromkeys(ALWAYS + candidates)))
            variants = {}
            for module in modules:
                variants.update(alone(module, scratch))
            fixes = {module: fixed_copy(scratch, [module]) for module in boots[0]["safe"]}
            fixes["all safe candidates"] = fixed_copy(scratch, None)
            variants["sample"] = lambda: startup_rss(SAMPLE.path, scratch)
            for module, copy in fixes.items():
                variants[f"fixed {module}"] = (lambda copy=copy: startup_rss(copy, scratch))
            results = rounds(variants, runs)
        except CommandFailed as failure:
            print(f"a measurement failed: {failure}", file=sys.stderr)
            return 1
    rows = []
    for module in modules:
        truths, bares = results[f"truth {module}"], results[f"bare {module}"]
        row = {"module": module,
               "truth": median(sum(t) - sum(b) for t, b in zip(truths, bares)),
               "private": median(t[0] - b[0] for t, b in zip(truths, bares)),
               "shared": median(t[1] - b[1] for t, b in zip(truths, bares)),
               "added": median_of(results[f"measure {module}"], "added"),
               "traced": median_of(results[f"measure {module}"], "traced")}
        in_boot = [boot["figures"].get(module, {}) for boot in boots]
        for key in ("cumulative", "saves"):
            row[key] = median_of(in_boot, key)
        row["verdict"] = in_boot[0].get("verdict")
        row["drop"] = drop(results, module)
        rows.append(row)
    print(f"median of {runs} runs; the sample project's candidates: {', '.join(candidates)}")
    print_table([header for header, _ in COLUMNS],
                [[cell(row) for _, cell in COLUMNS] for row in rows], args.markdown)
    together = drop(results, "all safe candidates")
    estimate = median(boot["estimate"] for boot in boots)
    print(f"\nlazyaudit fix of every safe candidate ({', '.join(boots[0]['safe'])}): real drop "
          f"{mib(together)} MiB per worker, ranking estimated {mib(estimate)} MiB "
          f"({ratio(together, estimate)})")
    return 0


def drop(results: dict, name: str) -> float | None:
    """Startup RSS of the sample project minus that of its fixed copy."""
    if f"fixed {name}" not in results:
        return None
    return median(results["sample"]) - median(results[f"fixed {name}"])


if __name__ == "__main__":
    sys.exit(main())
