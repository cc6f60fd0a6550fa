"""How fast does the HTML report open in a browser, and how big is it?

Measures each project (or takes saved JSON reports), writes its page with
`lazyaudit report --format html`, opens it several times in headless Chromium
(the system's, through Playwright) and prints the page's size next to the median
time from navigation to the drawn chart. Goal: a 1,500+ module report opens in
under 2 s and stays under 2 MiB.

    python benchmarks/html_report.py [--runs N] [REPORT.json ...]
"""

import json
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from common import MIB, PROJECTS, ROOT, machine, parser, print_table, ratio, run

sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM_ARGS, chromium_path, open_report  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

GOAL_SECONDS = 2.0


def lazyaudit(*args) -> None:
    run([sys.executable, "-m", "lazyaudit", *args])


def measured_reports(scratch: Path):
    for project in PROJECTS:
        if project.problem():
            print(f"{project.name}: skipped, {project.problem()}")
            continue
        report = scratch / f"{project.name}.json"
        lazyaudit("measure", "--project", project.path, "--python", project.python,
                  "--format", "json", "-o", report)
        yield project.name, report


def open_times(browser, page_file: Path, runs: int):
    """Seconds from navigation to the drawn chart: measured outside, and the page's own."""
    outside, inside = [], []
    for _ in range(runs):
        started = time.perf_counter()
        visit = open_report(browser, page_file)
        outside.append(time.perf_counter() - started)
        inside.append(float(visit.page.evaluate("document.body.dataset.renderMs")) / 1000)
        nodes = visit.page.locator("#chart .node[data-name]").count()
        visit.page.close()
        if visit.errors:
            raise SystemExit(f"{page_file}: {visit.errors[0]}")
    return median(outside), median(inside), nodes


def main():
    parse = parser(__doc__)
    parse.add_argument("reports", nargs="*", type=Path, help="saved JSON reports")
    parse.add_argument("--runs", type=int, default=5)
    args = parse.parse_args()
    runs = 1 if args.quick else args.runs
    chromium = chromium_path()
    if chromium is None:
        raise SystemExit("Chromium is missing (`make browser` installs it)")
    print(machine(), end="\n\n")
    rows = []
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        scratch = Path(scratch)
        reports = [(path.stem, path) for path in args.reports] or list(measured_reports(scratch))
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name, report in reports:
            page_file = scratch / f"{name}.html"
            lazyaudit("report", report, "--format", "html", "-o", page_file)
            modules = len(json.loads(report.read_text())["modules"])
            outside, inside, nodes = open_times(browser, page_file, runs)
            if nodes != modules:
                raise SystemExit(f"{name}: {nodes} blocks drawn for {modules} modules")
            json_size, page_size = report.stat().st_size, page_file.stat().st_size
            rows.append([name, str(modules), f"{json_size / MIB:.2f}", f"{page_size / MIB:.2f}",
                         ratio(page_size, json_size), f"{outside:.2f}", f"{inside:.2f}",
                         ratio(outside, GOAL_SECONDS)])
        browser.close()
    print(f"median of {runs} openings in headless Chromium")
    print_table(["report", "modules", "JSON MiB", "page MiB", "page/JSON", "open s",
                 "in page s", "open/goal"], rows, args.markdown)


if __name__ == "__main__":
    main()
