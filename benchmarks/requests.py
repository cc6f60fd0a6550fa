"""What `lazyaudit requests` costs the requests it measures, on the sample project.

The requests/s of lazyaudit's two runs (its rounds, timed inside the target), against
the same requests sent by a plain script through the same Django WSGI handler in the
same interpreter (benchmarks/requests_plain.py), each after the same warm-up:

- the RSS run against the plain script: goal within 1.2x;
- the tracemalloc run against the plain script under tracemalloc with the same
  number of frames: goal within 1.1x.

Medians of interleaved rounds on a migrated copy of sample_project.

    python benchmarks/requests.py [--rounds N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

from common import ROOT, migrated_copy, parser, print_table, rounds

URLS = ["/health/", "/catalog/", "/catalog/feed.xml", "/reports/", "/reports/orders.csv"]
PLAIN = ROOT / "benchmarks" / "requests_plain.py"
FRAMES = 30
WARMUP = 2


def plain(project: Path, requests: int, frames: int) -> float:
    done = subprocess.run([sys.executable, str(PLAIN), "shop.settings", str(WARMUP),
                           str(requests), str(frames), *URLS], cwd=project, check=True,
                          capture_output=True, text=True)
    return requests / float(done.stdout.split()[-1])


def lazyaudit(project: Path, requests: int) -> tuple[float, float]:
    """Requests/s of the RSS run and of the tracemalloc run."""
    urls = project.parent / "urls.txt"
    urls.write_text("\n".join(URLS) + "\n")
    done = subprocess.run([sys.executable, "-m", "lazyaudit", "requests", "--project",
                           str(project), "--python", sys.executable, "--urls", str(urls),
                           "--warmup", str(WARMUP), "--requests", str(requests),
                           "--rounds", "5", "--frames", str(FRAMES), "--format", "json",
                           "-q"], check=True, capture_output=True, text=True, cwd=ROOT)
    measured = json.loads(done.stdout)["rounds"][1:]
    return (requests / sum(reading["seconds"] for reading in measured),
            requests / sum(reading["traced_seconds"] for reading in measured))


def main() -> None:
    parse = parser(__doc__)
    parse.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    options = parse.parse_args()
    count, requests = (1, 50) if options.quick else (max(options.rounds, 3), 500)
    with tempfile.TemporaryDirectory(prefix="lazyaudit-bench-requests-") as scratch_dir:
        project = migrated_copy(Path(scratch_dir))
        results = rounds({"plain": lambda: plain(project, requests, 0),
                          "plain traced": lambda: plain(project, requests, FRAMES),
                          "lazyaudit": lambda: lazyaudit(project, requests)}, count)
    base, traced = median(results["plain"]), median(results["plain traced"])
    rss_run = median(rate for rate, _ in results["lazyaudit"])
    trace_run = median(rate for _, rate in results["lazyaudit"])
    rows = [["plain script, same requests", f"{base:.0f}", "1.00x"],
            ["lazyaudit requests, RSS run", f"{rss_run:.0f}", f"{base / rss_run:.2f}x"],
            [f"plain script under tracemalloc ({FRAMES} frames)", f"{traced:.0f}", "1.00x"],
            ["lazyaudit requests, tracemalloc run", f"{trace_run:.0f}",
             f"{traced / trace_run:.2f}x"]]
    print(f"requests/s of {requests} requests over {len(URLS)} URLs after a warm-up of "
          f"{WARMUP} per URL, median of {count} interleaved rounds; the ratio is the time "
          "against its baseline")
    print_table(["variant", "requests/s", "time ratio"], rows, options.markdown)
    print(f"sample_project: lazyaudit RSS run within 1.2x of the plain script: "
          f"{'yes' if base / rss_run <= 1.2 else 'no'} ({base / rss_run:.2f}x)")
    print(f"sample_project: lazyaudit tracemalloc run within 1.1x of the plain script under "
          f"tracemalloc: {'yes' if traced / trace_run <= 1.1 else 'no'} "
          f"({traced / trace_run:.2f}x)")


if __name__ == "__main__":
    main()
