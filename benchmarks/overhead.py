"""What measuring costs: a plain boot against `lazyaudit measure` and the tools
one would use by hand.

Boots each Django project (the sample project, and the large site of
tests/bigsite in its own virtualenv) in a fresh process, side by side, one
variant after another in every round, and prints the medians of each:

  plain boot                   benchmarks/plain_boot.py: what the probe boots, with no hook
  lazyaudit RSS run            the probe without tracemalloc (what RSS and time come from)
  python -X importtime         the plain boot, import times written to stderr
  memray run                   the plain boot under `memray run` (default options)
  plain boot, -X tracemalloc   the plain boot with tracemalloc on from the start
  lazyaudit tracemalloc run    the probe with tracemalloc
  lazyaudit measure            the whole command: both runs, ranking, the report
  measure --no-tracemalloc     the whole command without the tracemalloc run: what a
                               user waits for next to a plain boot

  wall, CPU     the process from spawn to exit, interpreter start-up and exit
                included; CPU is user + system time of the process and its
                children. The boots are single-threaded: on a quiet machine wall
                and CPU agree; on one shared with other work CPU is the steadier.
                The probe exits without the interpreter's teardown, which every
                other variant pays: the boot column compares like with like.
  boot          the boot alone (django.setup() to the WSGI application), timed
                inside the process: for the probe, what the hook adds; for the
                whole command, its run without tracemalloc.
  peak RSS      ru_maxrss of the largest process (for `lazyaudit measure`, its
                probe).

Goals, judged on CPU, boot and peak RSS: the RSS run within 1.2x of the plain
boot, the tracemalloc run within 1.1x of the plain boot with tracemalloc; and on
wall time, the whole `measure --no-tracemalloc` within 1.1x of the plain boot.

    python benchmarks/overhead.py [--runs N] [--project sample_project|bigsite]
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from common import (MIB, PLAIN_BOOT, PROJECTS, CommandFailed, Run, ToolMissing, machine,
                    memray_command, mib, ms, parser, print_table, ratio, rounds, run)

from lazyaudit.runner import PROBE
from lazyaudit.target import resolve_target

GOALS = {"lazyaudit RSS run": ("plain boot", 1.2),
         "lazyaudit tracemalloc run": ("plain boot, -X tracemalloc", 1.1)}
WHOLE_GOAL = 1.1     # the whole command without tracemalloc, on wall time


@dataclass(frozen=True)
class Sample:
    run: Run
    boot_ns: int        # the boot alone, timed inside the process
    modules: int        # what the boot loaded (plain: new sys.modules entries)
    final_rss: int      # RSS when the boot was over, read inside the process


def variants(project, scratch: Path, install_tools: bool) -> dict:
    """name -> a function that runs that variant once and returns a Sample."""
    boot_args = [PLAIN_BOOT, project.path, project.settings]
    target = resolve_target(project.path, django=project.settings, python=project.python)

    def plain(*command):
        def once():
            done = run([*command, *boot_args])
            anon, file_backed, boot_ns, modules = map(int, done.out.split()[-4:])
            return Sample(done, boot_ns, modules, anon + file_backed)
        return once

    def probe(traced: bool):
        config, output = scratch / f"config-{traced}.py", scratch / "probe.json"
        config.write_text(repr(target.probe_config(traced)))

        def once():
            done = run([project.python, PROBE, config, output], cwd=project.path)
            document = json.loads(output.read_text())
            final = document["final"]
            return Sample(done, final["time_ns"], len(document["modules"]),
                          final["rss_anon_bytes"] + final["rss_file_bytes"])
        return once

    def whole_command(*options):
        def once():
            output = scratch / "report.json"
            done = run([sys.executable, "-m", "lazyaudit", "measure", "--project",
                        project.path, "--django", project.settings, "--python",
                        project.python, "--format", "json", "--output", output, *options])
            totals = json.loads(output.read_text())["totals"]
            return Sample(done, totals["time_ns"], totals["modules"], totals["rss_bytes"])
        return once

    found = {
        "plain boot": plain(project.python),
        "lazyaudit RSS run": probe(False),
        "python -X importtime": plain(project.python, "-X", "importtime"),
    }
    try:
        found["memray run"] = plain(*memray_command(project.python, [], scratch / "memray.bin",
                                                    install_tools))
    except ToolMissing as missing:
        print(f"{project.name}: memray run skipped: {missing}", file=sys.stderr)
    found["plain boot, -X tracemalloc"] = plain(project.python, "-X", "tracemalloc=1")
    found["lazyaudit tracemalloc run"] = probe(True)
    found["lazyaudit measure"] = whole_command()
    found["measure --no-tracemalloc"] = whole_command("--no-tracemalloc")
    return found


def report(project, results: dict, markdown: bool) -> list[str]:
    """Print the project's table; return the goal lines."""
    def medians(value):
        return {name: median(value(sample) for sample in samples)
                for name, samples in results.items()}
    wall, cpu = medians(lambda s: s.run.wall_ns), medians(lambda s: s.run.cpu_ns)
    boot, peak = medians(lambda s: s.boot_ns), medians(lambda s: s.run.peak_rss)
    rows = []
    for name in results:
        base = GOALS.get(name, ("plain boot",))[0]
        rows.append([name, ms(wall[name]), ms(cpu[name]), ms(boot[name]), mib(peak[name]),
                     ratio(wall[name], wall[base]), ratio(cpu[name], cpu[base]),
                     ratio(boot[name], boot[base]), ratio(peak[name], peak[base]),
                     "-" if name == base else base])
    print(f"{project.name}: median of {len(results['plain boot'])} runs")
    print_table(["variant", "wall ms", "CPU ms", "boot ms", "peak RSS MiB", "wall ratio",
                 "CPU ratio", "boot ratio", "RSS ratio", "compared with"], rows, markdown)
    plain, probed = results["plain boot"], results["lazyaudit RSS run"]
    print(f"modules: the plain boot added {plain[0].modules} entries to sys.modules (aliases "
          f"such as requests.packages.* included), the probe recorded {probed[0].modules} loads")
    plain_rss = median(sample.final_rss for sample in plain)
    probed_rss = median(sample.final_rss for sample in probed)
    print(f"RSS when the boot is over (the report's startup RSS): plain {mib(plain_rss)} MiB, "
          f"RSS run {mib(probed_rss)} MiB ({(probed_rss - plain_rss) / MIB:+.1f} MiB: the "
          f"probe's bookkeeping, a record per load and an entry per import edge)\n")
    whole = wall["measure --no-tracemalloc"] / wall["plain boot"]
    lines = [f"{project.name}: measure --no-tracemalloc within {WHOLE_GOAL}x of plain boot: "
             f"wall {whole:.2f}x: {'holds' if whole <= WHOLE_GOAL else 'MISSED'}"]
    for name, (base, goal) in GOALS.items():
        ratios = {"CPU": cpu[name] / cpu[base], "boot": boot[name] / boot[base],
                  "peak RSS": peak[name] / peak[base]}
        verdict = "holds" if max(ratios.values()) <= goal else "MISSED"
        lines.append(f"{project.name}: {name} within {goal}x of {base}: "
                     + ", ".join(f"{key} {value:.2f}x" for key, value in ratios.items())
                     + f": {verdict}")
    return lines


def main() -> int:
    parse = parser(__doc__)
    parse.add_argument("--runs", type=int, default=7, help="rounds (default 7)")
    parse.add_argument("--project", action="append", choices=[p.name for p in PROJECTS],
                       help="only this project (repeatable; default: all)")
    args = parse.parse_args()
    runs = 1 if args.quick else args.runs
    chosen = args.project or (["sample_project"] if args.quick else [p.name for p in PROJECTS])
    print(machine(), end="\n\n")
    goals = []
    for project in PROJECTS:
        if project.name not in chosen:
            continue
        if project.problem():
            print(f"{project.name}: skipped: {project.problem()}\n")
            continue
        with tempfile.TemporaryDirectory(prefix="lazyaudit-bench-") as scratch:
            try:
                results = rounds(variants(project, Path(scratch), not args.quick), runs)
            except CommandFailed as failure:
                print(f"{project.name}: a variant failed: {failure}", file=sys.stderr)
                return 1
        goals += report(project, results, args.markdown)
    print("\n".join(goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
