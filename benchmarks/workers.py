"""What `lazyaudit workers` measures on the sample project, and what measuring costs.

1. The configurations of `workers --compare` (gunicorn sync, 3 workers, 600 GETs
   over 5 URLs, 3 rounds) on a migrated copy of sample_project: total PSS at ready
   and after the traffic, as in docs/workers.md.
2. The requests/s of gunicorn sync x 3 serving the project's own wsgi.py, against
   the same server serving it through lazyaudit's wrapper (which counts requests
   and notes late imports in every worker): the median of interleaved pairs, each
   after the same warm-up. Goal: the measured server within 5% of the unmeasured.

    python benchmarks/workers.py [--pairs N]
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import migrated_copy, parser, print_table, ratio

from lazyaudit.model.workers import Configuration
from lazyaudit.runner import end_group
from lazyaudit.target import resolve_target
from lazyaudit.workers.server import start
from lazyaudit.workers.traffic import Plan, Request, send_round

URLS = ["/health/", "/catalog/", "/catalog/feed.xml", "/reports/", "/reports/orders.csv"]
MIB = 1024 * 1024


def compare_table(project: Path, requests: int, markdown: bool) -> None:
    urls = project.parent / "urls.txt"
    urls.write_text("\n".join(URLS) + "\n")
    done = subprocess.run([sys.executable, "-m", "lazyaudit", "workers", "--project",
                           str(project), "--python", sys.executable, "--workers", "3",
                           "--compare", "--requests", str(requests), "--rounds", "3",
                           "--urls", str(urls), "--no-tracemalloc", "-q", "--format",
                           "json"], capture_output=True, text=True, check=True)
    document = json.loads(done.stdout)
    rows = []
    for run in document["configurations"]:
        rounds = run["rounds"]
        rows.append([run["configuration"]["name"],
                     f"{rounds[0]['totals']['pss_bytes'] / MIB:.1f}",
                     f"{rounds[-1]['totals']['pss_bytes'] / MIB:.1f}",
                     f"{rounds[-1]['totals']['pss_anon_bytes'] / MIB:.1f}"])
    print(f"gunicorn sync x 3, {requests} GETs over {len(URLS)} URLs: total PSS MiB")
    print_table(["configuration", "at ready", "after the traffic", "Pss_Anon after"], rows,
                markdown)


def unmeasured(project: Path, plan: Plan, count: int) -> float:
    """gunicorn serving the project's wsgi.py as it is: requests/s after the warm-up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"fd://{listener.fileno()}",
         "--workers", "3", "--log-level", "warning", "--no-control-socket",
         "shop.wsgi:application"],
        cwd=project, pass_fds=(listener.fileno(),), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    listener.close()
    try:
        return _rate(port, plan, count)
    finally:
        end_group(process, 10)


def measured(project: Path, plan: Plan, count: int, scratch: Path) -> float:
    """The same server through lazyaudit's wrapper."""
    target = resolve_target(project, python=sys.executable)
    folder = Path(tempfile.mkdtemp(dir=scratch))
    config = folder / "config.py"
    config.write_text(repr({"state": str(folder / "state"), "kind": "django",
                            "value": target.value, "asgi": False, "settings": None,
                            "warm_urls": False, "gc_freeze": False, "server_config": None}))
    server = start(sys.executable, project, Configuration("gunicorn", "sync", 3), folder,
                   config, 120)
    try:
        return _rate(server.port, plan, count)
    finally:
        server.stop()


def _rate(port: int, plan: Plan, count: int) -> float:
    deadline = time.monotonic() + 60
    while send_round(port, plan, 1, 1).statuses.get("200") != 1:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not answer in 60 s")
        time.sleep(0.1)
    send_round(port, plan, 20 * len(plan.requests), 4)           # every worker warm
    result = send_round(port, plan, count, 4)
    return result.sent / result.seconds


def main() -> None:
    parse = parser(__doc__)
    parse.add_argument("--pairs", type=int, default=5, help="interleaved pairs (at least 5)")
    options = parse.parse_args()
    pairs, requests = (1, 100) if options.quick else (max(options.pairs, 5), 600)
    with tempfile.TemporaryDirectory(prefix="lazyaudit-bench-workers-") as scratch_dir:
        scratch = Path(scratch_dir)
        project = migrated_copy(scratch)
        compare_table(project, requests, options.markdown)
        plan = Plan([Request(path) for path in URLS], "localhost", "benchmark")
        plain, wrapped = [], []
        for number in range(pairs):
            variants = [lambda: plain.append(unmeasured(project, plan, requests)),
                        lambda: wrapped.append(measured(project, plan, requests, scratch))]
            for variant in variants if number % 2 == 0 else reversed(variants):
                variant()
        rows = [["gunicorn sync x 3, unmeasured", f"{median(plain):.0f}", "1.00x"],
                ["the same through lazyaudit's wrapper", f"{median(wrapped):.0f}",
                 ratio(median(wrapped), median(plain))]]
        print(f"requests/s, median of {pairs} interleaved pairs of {requests} requests "
              "(goal: the measured server within 5% of the unmeasured)")
        print_table(["server", "requests/s", "ratio"], rows, options.markdown)


if __name__ == "__main__":
    main()
