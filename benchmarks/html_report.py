"""How fast does the HTML report open in a browser, and how big is it?

Measures each project (or takes saved JSON reports), writes its page with
`lazyaudit report --format html`, opens it several times in headless Chromium
(the system's, through Playwright) and prints the page's size next to the median
time from navigation to the drawn chart. Goal: a 1,500+ module report opens in
under 2 s and stays under 2 MiB.

    python benchmarks/html_report.py [--runs N] [REPORT.json ...]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
from playwright.sync_api import sync_playwright  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = [
    # (name, project dir, interpreter)
    ("sample_project", ROOT / "sample_project", sys.executable),
    ("bigsite", ROOT / "tests" / "bigsite", str(ROOT / ".cache" / "bigsite-venv" / "bin" / "python")),
]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
GOAL_SECONDS = 2.0
MIB = 1024 * 1024


def lazyaudit(*args):
    subprocess.run([sys.executable, "-m", "lazyaudit", *map(str, args)], check=True,
                   capture_output=True)


def measured_reports(scratch: Path):
    for name, project, python in PROJECTS:
        if not Path(python).exists():
            print(f"{name}: skipped, {python} missing (run `make bigsite`)")
            continue
        report = scratch / f"{name}.json"
        lazyaudit("measure", "--project", project, "--python", python, "--format", "json",
                  "-o", report)
        yield name, report


def open_times(browser, page_file: Path, runs: int):
    """Seconds from navigation to the drawn chart: measured outside, and the page's own."""
    outside, inside = [], []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        started = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-ready]")
        outside.append(time.perf_counter() - started)
        inside.append(float(page.evaluate("document.body.dataset.renderMs")) / 1000)
        nodes = page.locator("#chart .node[data-name]").count()
        page.close()
        if errors:
            raise SystemExit(f"{page_file}: {errors[0]}")
    return median(outside), median(inside), nodes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="*", type=Path, help="saved JSON reports")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("Chromium is missing (`make browser` installs it)")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        scratch = Path(scratch)
        reports = [(path.stem, path) for path in args.reports] or list(measured_reports(scratch))
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        print(f"{'report':16} {'modules':>8} {'JSON MiB':>9} {'page MiB':>9} {'page/JSON':>10} "
              f"{'open s':>7} {'in page s':>10} {'open/goal':>10}")
        for name, report in reports:
            page_file = scratch / f"{name}.html"
            lazyaudit("report", report, "--format", "html", "-o", page_file)
            modules = len(json.loads(report.read_text())["modules"])
            outside, inside, nodes = open_times(browser, page_file, args.runs)
            if nodes != modules:
                raise SystemExit(f"{name}: {nodes} blocks drawn for {modules} modules")
            json_size, page_size = report.stat().st_size, page_file.stat().st_size
            print(f"{name:16} {modules:8} {json_size / MIB:9.2f} {page_size / MIB:9.2f} "
                  f"{page_size / json_size:9.2f}x {outside:7.2f} {inside:10.2f} "
                  f"{outside / GOAL_SECONDS:9.2f}x")
        browser.close()


if __name__ == "__main__":
    main()
