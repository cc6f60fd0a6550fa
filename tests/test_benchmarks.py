"""The benchmark scripts run, in their --quick mode (one round, small input).

They print ratios and never fail on them; these tests check that every variant
ran and that the tables hold real measurements, not how fast anything was.
memray and ruff take part only when a full benchmark run has installed them.
"""

import subprocess
import sys

import pytest

from conftest import ROOT


def bench(script, *args):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--quick",
                          "--markdown", *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout


def rows(output):
    """The Markdown table rows: {first cell: [cells]}."""
    found = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) > 1 and not set(cells[0]) <= {"-"}:
            found[cells[0]] = cells
    return found


def test_overhead_boots_every_variant():
    output = bench("overhead.py")
    table = rows(output)
    for variant in ("plain boot", "lazyaudit RSS run", "python -X importtime",
                    "plain boot, -X tracemalloc", "lazyaudit tracemalloc run",
                    "lazyaudit measure"):
        assert variant in table, output
    header = table["variant"]
    peak = {name: float(cells[header.index("peak RSS MiB")]) for name, cells in table.items()
            if name != "variant"}
    assert peak["plain boot"] > 50                      # Django, pandas, boto3, numpy
    # Tracing costs memory: every traced block carries a record.
    assert peak["plain boot, -X tracemalloc"] > 1.2 * peak["plain boot"]
    assert "sample_project: lazyaudit RSS run within 1.2x of plain boot" in output
    assert "sample_project: lazyaudit tracemalloc run within 1.1x" in output


def test_truth_compares_with_a_fresh_interpreter():
    output = bench("truth.py")
    table = rows(output)
    assert "pandas, boto3" in output                     # the sample project's candidates
    numpy = table["numpy"]
    header = table["module"]
    true_rss = float(numpy[header.index("true RSS MiB (private/shared)")].split()[0])
    measured = float(numpy[header.index("measure -m MiB")])
    assert true_rss > 5 and measured > 5
    assert numpy[header.index("ranking: saves MiB")].endswith("(unsafe)")


def test_scan_speed_on_a_small_tree(tmp_path):
    (tmp_path / "app.py").write_text("import json\n\ndef dump(x):\n    return json.dumps(x)\n")
    output = bench("scan_speed.py", str(tmp_path))
    table = rows(output)
    assert {"ast.parse", "lazyaudit scan"} <= set(table), output
    assert f"1 files, 4 lines under {tmp_path}" in output


def test_lint_speed_on_a_small_tree(tmp_path):
    (tmp_path / "views.py").write_text("SEEN = []\n\ndef view(request):\n"
                                       "    SEEN.append(request)\n")
    (tmp_path / "urls.py").write_text("from django.urls import path\nimport views\n"
                                      "urlpatterns = [path('', views.view)]\n")
    output = bench("lint_speed.py", str(tmp_path))
    assert {"ast.parse", "lazyaudit scan", "lazyaudit lint"} <= set(rows(output)), output
    assert f"2 files, 7 lines under {tmp_path}" in output
    assert "lazyaudit lint reported 1 findings" in output


def test_startup_counts_modules_without_libcst():
    output = bench("startup.py")
    table = rows(output)
    for command in ("bare python", "lazyaudit --help", "lazyaudit measure, until the probe starts"):
        assert table[command][-1] == "none", output          # no libcst, tabulate, ...
    header = table["command"]
    counts = {name: int(cells[header.index("beyond a bare interpreter")])
              for name, cells in table.items() if name != "command"}
    assert counts["bare python"] == 0
    assert 0 < counts["lazyaudit --help"] < counts["lazyaudit measure, until the probe starts"]
    assert "lazyaudit --help adds:" in output and "click" in output


def test_fix_speed_compares_with_the_floor():
    output = bench("fix_speed.py")
    table = rows(output)
    assert {"floor", "fix"} <= set(table), output
    assert "fix --select within 3x of the floor: CPU" in output


@pytest.mark.xdist_group("workers")
def test_workers_benchmark_runs_both_servers():
    pytest.importorskip("gunicorn")
    output = bench("workers.py")
    table = rows(output)
    assert {"gunicorn sync plain", "gunicorn sync --preload --warm-urls --gc-freeze",
            "gunicorn sync x 3, unmeasured", "the same through lazyaudit's wrapper"} <= \
        set(table), output
    assert float(table["gunicorn sync x 3, unmeasured"][1]) > 0


def test_requests_benchmark_compares_both_runs_with_plain_requests():
    output = bench("requests.py")
    table = rows(output)
    for variant in ("plain script, same requests", "lazyaudit requests, RSS run",
                    "plain script under tracemalloc (30 frames)",
                    "lazyaudit requests, tracemalloc run"):
        assert float(table[variant][1]) > 0, output
    assert "sample_project: lazyaudit RSS run within 1.2x of the plain script" in output
    assert "sample_project: lazyaudit tracemalloc run within 1.1x" in output
