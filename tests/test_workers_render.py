"""Every format of a `workers` document, rendered from one built in memory: the fast
companion of test_workers.py, which runs the real servers."""

import json

import pytest

from lazyaudit.model import Projection
from lazyaudit.model.workers import (Advice, Comparison, Configuration, LateImport,
                                     ProcessMemory, Round, WorkersReport, WorkersRun)
from lazyaudit.render import formats, render

MIB = 1024 * 1024


def process(pid, role, pss, uss, requests=None):
    return ProcessMemory(pid, role, rss=pss + 20 * MIB, pss=pss, pss_anon=pss - MIB,
                         pss_file=MIB, uss=uss, shared=20 * MIB, requests=requests)


def run(preload: bool, after: int) -> WorkersRun:
    configuration = Configuration("gunicorn", "sync", 2, preload=preload)
    ready = Round(0, 0, 0.0, {}, [process(10, "master", 14 * MIB, 12 * MIB),
                                  process(11, "worker", 30 * MIB, 28 * MIB, 0),
                                  process(12, "worker", 30 * MIB, 28 * MIB, 0)])
    served = Round(1, 100, 0.5, {"200": 98, "500": 2},
                   [process(10, "master", 14 * MIB, 12 * MIB),
                    process(11, "worker", after, after - 8 * MIB, 51),
                    process(13, "worker", after, after - 8 * MIB, 49)],
                   started=[13], ended=[12])
    late = [LateImport(11, "/reports/orders.csv", ["pandas", "pandas.core", "numpy"],
                       40 * MIB),
            LateImport(13, "/reports/orders.csv", ["pandas", "numpy"], 39 * MIB)]
    return WorkersRun(configuration, [ready, served], late, memory_available=1024 * MIB)


@pytest.fixture
def report():
    runs = [run(False, 80 * MIB), run(True, 60 * MIB)]
    return WorkersReport(
        "django:shop.settings", "3.12", ["/", "/reports/orders.csv"], runs,
        Projection(2, "--workers", 28 * MIB, 80 * MIB),
        [Comparison(r.configuration.name, 188 * MIB, 188 * MIB, 74 * MIB,
                    r.last.total("pss")) for r in runs],
        Advice("gunicorn sync --preload", "gunicorn sync plain", 40 * MIB, 0.25,
               "--- a/gunicorn.conf.py\n+++ b/gunicorn.conf.py\n+preload_app = True\n",
               ["numpy", "pandas"]))


def test_workers_has_every_format():
    assert formats("workers") == ("table", "json", "markdown", "html")


def test_json_carries_the_documented_keys(report):
    document = json.loads(render("workers", "json", report))
    assert document["schema"] == 1
    [plain, preload] = document["configurations"]
    assert plain["configuration"]["name"] == "gunicorn sync plain"
    assert preload["loaded_again"] == ["numpy", "pandas"]
    last = plain["rounds"][-1]
    assert last["totals"]["pss_bytes"] == (14 + 80 + 80) * MIB
    assert last["started"] == [13] and last["ended"] == [12]
    assert last["requests_per_second"] == 200
    assert plain["workers_fit"] == (1024 - 14) // 80
    assert plain["late_imports"][0]["top"] == ["numpy", "pandas"]
    assert document["comparisons"][0]["error_after"] == round((188 - 174) / 174, 4)
    assert document["advice"]["keep_eager"] == ["numpy", "pandas"]


def test_table_and_markdown_show_rounds_processes_late_imports_and_advice(report):
    for fmt in ("table", "markdown"):
        text = render("workers", fmt, report)
        assert "gunicorn sync --preload, 2 workers" in text
        assert "200:98 500:2" in text
        assert "174.0" in text                      # total PSS after the round
        assert "/reports/orders.csv: 3 modules, +40.0 MiB: numpy, pandas" in text
        assert "imported again by most workers after the fork" in text
        assert "+preload_app = True" in text
        assert "-7%" not in text and "+8%" in text  # the projection's error after traffic
    assert "```diff" in render("workers", "markdown", report)


def test_html_draws_a_chart_per_configuration(report):
    page = render("workers", "html", report)
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 5     # total PSS and worker USS each, and side by side
    assert "pid 13" in page and "<script" not in page
