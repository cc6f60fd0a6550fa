"""measure on the sample Django project: a real boot, real pandas and boto3."""

import subprocess
import sys

from conftest import SAMPLE, lazyaudit, rss_added_by_import


def by_name(report):
    return {module["name"]: module for module in report["modules"]}


def test_pandas_and_boto3_are_among_the_heaviest_third_party_packages(sample_report):
    modules = by_name(sample_report)
    top_level = sorted((m for m in sample_report["modules"]
                        if m["kind"] == "third-party" and "." not in m["name"]
                        and m["name"] != "django"),
                       key=lambda m: m["cumulative"]["rss_bytes"], reverse=True)
    assert {"pandas", "boto3"} <= {m["name"] for m in top_level[:4]}
    assert modules["pandas"]["distribution"] == "pandas"
    assert modules["botocore"]["distribution"] == "botocore"
    assert modules["pandas"]["cumulative"]["rss_bytes"] > 20 * 2**20


def test_stages_and_kinds(sample_report):
    modules = by_name(sample_report)
    assert sample_report["stages"] == ["setup", "urls", "app"]
    assert modules["shop.settings"]["stage"] == "setup"
    assert modules["uploads.signals"]["stage"] == "setup"        # AppConfig.ready()
    assert modules["reports.views"]["stage"] == "urls"
    assert modules["pandas"]["stage"] == "urls"
    assert modules["django.core.handlers.wsgi"]["stage"] == "app"
    assert modules["reports.views"]["kind"] == "first-party"
    assert modules["sqlite3"]["kind"] == "stdlib"
    assert modules["django"]["kind"] == "third-party"
    assert modules["django"]["distribution"] == "Django"


def test_schema_keys_are_exact(sample_report):
    assert sample_report["schema"] == 1
    assert {"schema", "python", "target", "totals", "modules", "edges"} <= set(sample_report)
    assert set(sample_report["totals"]) >= {"rss_bytes", "rss_anon_bytes", "rss_file_bytes",
                                            "tracemalloc_bytes", "time_ns", "modules"}
    costs = {"rss_bytes", "rss_anon_bytes", "rss_file_bytes", "tracemalloc_bytes", "time_ns"}
    for module in sample_report["modules"]:
        assert {"name", "file", "distribution", "kind", "parent", "stage", "self",
                "cumulative"} <= set(module)
        assert set(module["self"]) == costs == set(module["cumulative"])
    totals = sample_report["totals"]
    assert totals["rss_bytes"] == totals["rss_anon_bytes"] + totals["rss_file_bytes"]
    assert totals["modules"] == len(sample_report["modules"]) > 500
    assert ["reports.views", "pandas"] in sample_report["edges"]
    assert all(len(edge) == 2 for edge in sample_report["edges"])


def test_cost_is_given_in_the_context_of_the_boot(sample_report):
    # Django loaded much of what boto3 needs already, so in this boot boto3 costs
    # less than it adds to a bare interpreter.
    in_boot = by_name(sample_report)["boto3"]["cumulative"]["rss_bytes"]
    assert in_boot < 0.9 * rss_added_by_import("boto3")


def test_why_names_the_chain_with_files_and_lines(sample_report, tmp_path):
    report = tmp_path / "r.json"
    report.write_text(__import__("json").dumps(sample_report))
    result = lazyaudit("why", "pandas", "--report", report)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert "stage: urls" in lines[0]
    assert "URL patterns" in lines[1]
    assert any("-> reports.views" in line and "reports/urls.py:" in line for line in lines)
    assert "-> pandas  reports/views.py:3" in lines[-1]


def test_why_boots_when_no_report_is_given():
    result = lazyaudit("why", "uploads.signals", "--project", SAMPLE, "--no-tracemalloc")
    assert result.code == 0, result
    assert "django.setup()" in result.out
    assert "uploads/apps.py:10" in result.out


def test_table_and_package_view(sample_report, tmp_path):
    report = tmp_path / "r.json"
    report.write_text(__import__("json").dumps(sample_report))
    table = lazyaudit("report", report, "--top", "5")
    assert table.code == 0, table
    assert "top 5 modules by cumulative RSS" in table.out
    assert "startup RSS" in table.out and "modules loaded" in table.out
    packages = lazyaudit("report", report, "--by", "package", "--top", "40")
    rows = {line.split()[0]: line for line in packages.out.splitlines() if line.strip()}
    assert "pandas" in rows and "boto3" in rows and "Django" in rows
    markdown = lazyaudit("report", report, "--format", "markdown")
    assert markdown.out.startswith("### Startup imports of `django:shop.settings`")
    assert "| pandas " in markdown.out


def test_asgi_builds_the_asgi_application():
    result = lazyaudit("measure", "--project", SAMPLE, "--asgi", "--format", "json",
                       "--no-tracemalloc")
    assert result.code == 0, result
    names = {m["name"] for m in result.json()["modules"]}
    assert "django.core.handlers.asgi" in names


def test_sample_projects_own_tests_pass():
    run = subprocess.run([sys.executable, "manage.py", "test", "--noinput", "-v", "1"],
                         cwd=SAMPLE, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "OK" in run.stderr
