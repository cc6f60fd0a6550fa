"""How much does measuring change what is measured?

Boots each project plainly and under `lazyaudit measure` (its RSS run, no
tracemalloc), interleaved, and prints the median startup RSS of each and their
ratio. Goal: the RSS run within 1.2x of a plain boot.

    python benchmarks/measure_overhead.py [--runs N]
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [
    # (name, project dir, settings module, interpreter)
    ("sample_project", ROOT / "sample_project", "shop.settings", sys.executable),
    ("bigsite", ROOT / "tests" / "bigsite", "bigsite.settings",
     str(ROOT / ".cache" / "bigsite-venv" / "bin" / "python")),
]
MIB = 1024 * 1024


def plain_boot(project, settings, python):
    out = subprocess.run([python, str(ROOT / "benchmarks" / "plain_boot.py"), str(project),
                          settings], capture_output=True, text=True, check=True)
    anon, file_backed, elapsed = map(int, out.stdout.split()[-3:])
    return anon + file_backed, elapsed


def measured_boot(project, settings, python):
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run([sys.executable, "-m", "lazyaudit", "measure", "--project", str(project),
                        "--django", settings, "--python", python, "--no-tracemalloc",
                        "--format", "json", "--output", str(report)],
                       capture_output=True, check=True)
        totals = json.loads(report.read_text())["totals"]
    return totals["rss_bytes"], totals["time_ns"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'project':16} {'plain MiB':>10} {'measure MiB':>12} {'RSS ratio':>10} "
          f"{'plain ms':>9} {'measure ms':>11} {'time ratio':>10}")
    for name, project, settings, python in PROJECTS:
        if not Path(python).exists():
            print(f"{name:16} skipped: {python} missing (run `make bigsite`)")
            continue
        plain, measured = [], []
        for _ in range(args.runs):       # interleaved, so drift hits both alike
            plain.append(plain_boot(project, settings, python))
            measured.append(measured_boot(project, settings, python))
        plain_rss, measured_rss = median(p[0] for p in plain), median(m[0] for m in measured)
        plain_ns, measured_ns = median(p[1] for p in plain), median(m[1] for m in measured)
        print(f"{name:16} {plain_rss / MIB:10.1f} {measured_rss / MIB:12.1f} "
              f"{measured_rss / plain_rss:9.2f}x {plain_ns / 1e6:9.0f} {measured_ns / 1e6:11.0f} "
              f"{measured_ns / plain_ns:9.2f}x")


if __name__ == "__main__":
    main()
