"""`--format html`: one self-contained page with an icicle chart of the import tree and
sortable tables, checked in a real headless Chromium."""

import json
import os
import pty
import re
import shutil
import subprocess
import sys

import pytest

from browser import chromium, open_report
from conftest import ROOT, lazyaudit

MEASURES = {"rss": lambda c: c["rss_bytes"], "tracemalloc": lambda c: c["tracemalloc_bytes"],
            "time": lambda c: c["time_ns"]}


@pytest.fixture(scope="module")
def sample_json(sample_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.json"
    path.write_text(json.dumps(sample_report))
    return path


@pytest.fixture(scope="module")
def sample_page(sample_json):
    page = sample_json.with_name("report.html")
    result = lazyaudit("report", sample_json, "--format", "html", "--output", page)
    assert result.code == 0, result
    assert result.err.strip() == f"wrote {page}"
    return page


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def embedded_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="lazyaudit-data">(.*?)</script>',
                      html, re.S)
    return json.loads(found.group(1))


def layout_share(report: dict, name: str, measure) -> float:
    """The share of the chart's width a module gets: its cumulative cost, or its
    children's when they add up to more, over all imports of the boot."""
    children = {}
    for module in report["modules"]:
        children.setdefault(module["parent"], []).append(module["name"])
    by_name = {module["name"]: module for module in report["modules"]}

    def value(node):
        own = max(0, measure(by_name[node]["cumulative"])) if node else 0
        return max(own, sum(value(child) for child in children.get(node, [])))

    sys.setrecursionlimit(10_000)
    return value(name) / value(None)


def test_the_page_is_self_contained_and_carries_every_module(sample_page, sample_report):
    html = sample_page.read_text()
    assert html.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no URL, no src or href attribute, no stylesheet link.
    assert not re.search(r"https?://|\bsrc\s*=|\bhref\s*=|<link\b", html)
    assert "default-src 'none'" in html          # and the browser is told to refuse any load
    data = embedded_data(html)
    assert data["names"] == [module["name"] for module in sample_report["modules"]]
    assert len(data["m"]) == len(data["names"])
    parent = data["fields"].index("parent")
    pandas = data["names"].index("pandas")
    assert data["names"][data["m"][pandas][parent]] == "reports.views"
    assert [c[0] for c in data["candidates"]] == [c["module"] for c in sample_report["candidates"]]
    # Compact: well under the JSON report it comes from.
    assert len(html) < len(json.dumps(sample_report)) / 4


def test_text_from_the_report_cannot_end_the_script(sample_report, tmp_path, browser):
    hostile = "</script><script>window.injected = 1</script><!-- {{data}}"
    report = dict(sample_report, warnings=[hostile])
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(report))
    page = tmp_path / "hostile.html"
    assert lazyaudit("report", source, "--format", "html", "-o", page).code == 0
    assert page.read_text().count("</script>") == 2      # the data's and the code's own
    visit = open_report(browser, page)
    assert visit.page.evaluate("window.injected") is None
    assert hostile in visit.page.inner_text("#summary")
    assert visit.errors == [] and visit.console == []


def test_html_on_a_terminal_asks_for_a_file(sample_json):
    for args in (["report", sample_json], ["measure", "-m", "json", "--no-tracemalloc"]):
        terminal, other_end = pty.openpty()
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "lazyaudit", *map(str, args), "--format", "html"],
                stdout=other_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
        finally:
            os.close(other_end)
            os.close(terminal)
        assert completed.returncode == 2, completed.stderr
        assert completed.stderr.strip() == ("lazyaudit: error: --format html writes a web page: "
                                            "give --output FILE (or redirect standard output "
                                            "to a file)")


def test_html_to_a_pipe_is_the_page(sample_json, sample_page):
    result = lazyaudit("report", sample_json, "--format", "html")
    assert result.code == 0, result
    assert result.out == sample_page.read_text()


def test_measure_writes_the_page(tmp_path):
    page = tmp_path / "json.html"
    result = lazyaudit("measure", "-m", "json", "--no-tracemalloc", "--format", "html",
                       "-o", page, cwd=tmp_path)
    assert result.code == 0, result
    data = embedded_data(page.read_text())
    fields = data["fields"]
    rows = dict(zip(data["names"], data["m"]))
    assert data["target"] == "module:json" and data["traced"] is False
    assert data["names"][rows["json.decoder"][fields.index("parent")]] == "json"
    assert rows["json"][fields.index("parent")] == -1
    assert data["candidates"] == []                # no project code, no ranking


def test_the_assets_are_packaged(tmp_path, sample_json):
    """A built copy of the package (not this source tree) renders the page."""
    source, build = tmp_path / "source", tmp_path / "build"
    # A clean copy: a stale *.egg-info here would list the files whatever pyproject says.
    shutil.copytree(ROOT / "lazyaudit", source / "lazyaudit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q",
                    "build_py", "--build-lib", str(build)], cwd=source, check=True,
                   capture_output=True)
    code = ("import sys; from pathlib import Path; import lazyaudit.render.html as h; "
            "from lazyaudit.model import ImportReport; "
            "assert h.__file__.startswith(sys.argv[2]), h.__file__; "
            "print(h.render(ImportReport.load(Path(sys.argv[1]))))")
    out = subprocess.run([sys.executable, "-c", code, str(sample_json), str(build)],
                         cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(build)},
                         capture_output=True, text=True, check=True).stdout
    assert "function sortableTable" in out and "#chart" in out and "{{" not in out


def test_the_sample_project_in_a_browser(sample_page, sample_report, browser, tmp_path):
    visit = open_report(browser, sample_page)
    page = visit.page
    modules = {module["name"]: module for module in sample_report["modules"]}
    # One block per module.
    assert page.locator("#chart .node[data-name]").count() == len(modules)
    chart = visit.box(".node.root")

    # pandas and boto3 are large blocks right under the first-party modules that load them.
    for name, parent, share in (("pandas", "reports.views", 0.25), ("boto3", "uploads.storage", 0.05)):
        assert modules[name]["parent"] == parent
        block, above = visit.box(f'.node[data-name="{name}"]'), visit.box(f'.node[data-name="{parent}"]')
        assert block["width"] > share * chart["width"], (name, block, chart)
        assert above["x"] - 0.5 <= block["x"] and block["x"] + block["width"] <= above["x"] + above["width"] + 0.5
        assert abs(block["y"] - (above["y"] + 18)) < 1
        expected = layout_share(sample_report, name, MEASURES["rss"])
        assert block["width"] / chart["width"] == pytest.approx(expected, abs=0.005)
        assert "k2" in page.get_attribute(f'.node[data-name="{name}"]', "class").split()  # third-party
        assert "k1" in page.get_attribute(f'.node[data-name="{parent}"]', "class").split()
    # Candidates are marked with their verdict.
    verdicts = {c["module"]: c["verdict"] for c in sample_report["candidates"] if c["notable"]}
    assert verdicts["pandas"] == "safe" and verdicts["numpy"] == "unsafe"
    for name, verdict in verdicts.items():
        if name in modules:
            assert verdict in page.get_attribute(f'.node[data-name="{name}"]', "class").split()

    # Hovering shows the costs and the import chain.
    page.hover('.node[data-name="pandas"]')
    tip = page.inner_text("#tip")
    pandas = modules["pandas"]
    for text in ("pandas", "third-party", "stage urls", "cumulative", "self",
                 f"private {pandas['cumulative']['rss_anon_bytes'] / 2**20:.1f}",
                 f"shared {pandas['cumulative']['rss_file_bytes'] / 2**20:.1f}",
                 f"{pandas['cumulative']['tracemalloc_bytes'] / 2**20:.1f} MiB",
                 f"{pandas['cumulative']['time_ns'] / 1e6:.1f} ms",
                 "safe to defer", "URL patterns (ROOT_URLCONF)", "reports.views reports/urls.py",
                 "pandas reports/views.py:3"):
        assert text in tip, (text, tip)

    # Clicking zooms in: pandas fills the width, what is not under it is hidden.
    page.click('.node[data-name="pandas"]')
    assert visit.box('.node[data-name="pandas"]')["width"] == pytest.approx(chart["width"], abs=1)
    assert visit.box('.node[data-name="pandas.core.api"]')["width"] > 0.3 * chart["width"]
    assert not page.is_visible('.node[data-name="boto3"]')
    assert "reports.views" in page.inner_text("#path")
    page.click("#path a >> text=reports.views")            # the path leads back up
    assert visit.box('.node[data-name="reports.views"]')["width"] == pytest.approx(chart["width"], abs=1)
    page.keyboard.press("Escape")
    assert page.is_visible('.node[data-name="boto3"]')

    # The size switch: blocks follow tracemalloc, then time.
    for measure in ("tracemalloc", "time"):
        page.check(f'input[name=measure][value="{measure}"]')
        width = visit.box('.node[data-name="pandas"]')["width"] / chart["width"]
        assert width == pytest.approx(layout_share(sample_report, "pandas", MEASURES[measure]),
                                      abs=0.005), measure
        assert f"share of {measure}" in page.inner_text("#stages")

    # Stages: one row each, modules adding up.
    stage_rows = page.locator("#stages tbody tr")
    assert stage_rows.count() == 3
    assert sum(int(stage_rows.nth(i).locator("td").nth(2).inner_text()) for i in range(3)) == len(modules)

    # Sorting a table by clicking its header.
    header = page.locator("#packages th", has_text="modules")
    counts = lambda: [int(text) for text in page.locator("#packages tbody td:nth-child(3)").all_inner_texts()]
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    assert counts() == sorted(counts(), reverse=True) and counts()[0] >= 100
    header.click()
    assert counts() == sorted(counts())
    page.locator("#packages th", has_text="package").click()
    packages = page.locator("#packages tbody td:nth-child(1)").all_inner_texts()
    assert packages == sorted(packages, key=str.lower) and {"pandas", "boto3", "Django", "shop"} <= set(packages)

    # The candidates table: the notable ones, or all of them.
    rows = page.locator("#candidates tbody tr")
    assert rows.count() == len(verdicts)
    page.check("#show-all")
    assert rows.count() == len(sample_report["candidates"])
    page.locator("#candidates a", has_text="boto3").click()   # a module name leads to its block
    assert visit.box('.node[data-name="boto3"]')["width"] == pytest.approx(chart["width"], abs=1)

    page.keyboard.press("Escape")
    page.check('input[name=measure][value="rss"]')
    page.hover('.node[data-name="pandas.core.api"]')
    page.screenshot(path=str(tmp_path / "sample.png"), full_page=True)
    assert (tmp_path / "sample.png").stat().st_size > 10_000
    assert visit.errors == [] and visit.console == []
    assert visit.requests == [sample_page.as_uri()]
