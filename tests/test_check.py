"""`lazyaudit check`: limits on startup memory, judged on real boots of the sample project."""

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, lazyaudit
from lazyaudit.check.limits import LimitError, Margin, budgets_from_config, parse_margin
from lazyaudit.render.check_github import escape_data, escape_property

MIB = 1024 * 1024
GITHUB_UNSET = {"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "GITHUB_WORKSPACE": ""}


@pytest.fixture(scope="session")
def saved(sample_report, tmp_path_factory):
    """The session's measured boot of the sample project, as the file `check --report` reads."""
    path = tmp_path_factory.mktemp("check") / "sample.json"
    path.write_text(json.dumps(sample_report))
    return path


def check(*args, cwd=None, env=None):
    return lazyaudit("check", *args, cwd=cwd, env={**GITHUB_UNSET, **(env or {})})


def copy_sample(destination: Path) -> Path:
    shutil.copytree(SAMPLE, destination,
                    ignore=shutil.ignore_patterns("*.sqlite3", "__pycache__"))
    return destination


def defer_pandas(project: Path) -> None:
    """Run the real `lazyaudit fix` on pandas (static analysis only, no boot)."""
    result = lazyaudit("fix", "--select", "pandas", "--project", project)
    assert result.code == 0, result
    assert "    import pandas as pd\n" in (project / "reports" / "views.py").read_text()


def write_config(project: Path, body: str) -> None:
    (project / "pyproject.toml").write_text("[tool.lazyaudit]\n" + body)


def package_self_rss(report: dict, package: str) -> int:
    return sum(m["self"]["rss_bytes"] for m in report["modules"]
               if m["name"] == package or m["name"].startswith(package + "."))


def result_of(document: dict, name: str) -> dict:
    return next(result for result in document["results"] if result["check"] == name)


def assert_one_line_error(result, *fragments):
    assert result.code == 2, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lazyaudit: error: "), result
    for fragment in fragments:
        assert fragment in lines[0], result


# --- real boots -------------------------------------------------------------------------


def test_forbidden_module_names_its_chain_until_the_import_is_deferred(tmp_path):
    project = copy_sample(tmp_path / "shop")
    write_config(project, 'forbid = ["pandas"]\n')

    result = check(cwd=project)
    assert result.code == 1, result
    assert "FAIL forbid pandas: pandas is forbidden, but loaded at startup by reports.views " \
           "(reports/views.py:3)" in result.out
    chain = result.out[result.out.index("by this chain:"):]
    assert chain.index("-> shop.urls") < chain.index("-> reports.urls") \
        < chain.index("-> reports.views  reports/urls.py:3") \
        < chain.index("-> pandas  reports/views.py:3")
    assert result.out.rstrip().endswith("1 of 1 limit broken")

    defer_pandas(project)
    result = check(cwd=project)
    assert result.code == 0, result
    assert "FAIL" not in result.out
    assert result.out.rstrip().endswith("the limit holds")


def test_baseline_catches_a_heavy_new_import(tmp_path):
    project = copy_sample(tmp_path / "shop")
    defer_pandas(project)
    baseline = tmp_path / "baseline.json"
    result = check("--project", project, "--baseline", baseline, "--update-baseline")
    assert result.code == 0, result
    assert f"wrote baseline {baseline}" in result.err
    written = json.loads(baseline.read_text())
    assert written["schema"] == 1 and written["target"] == "django:shop.settings"
    assert not any(m["name"] == "pandas" for m in written["modules"])

    # The same code again holds; a new top-level import of pandas elsewhere does not.
    assert check("--project", project, "--baseline", baseline).code == 0
    models = project / "catalog" / "models.py"
    models.write_text("import pandas  # noqa: F401\n" + models.read_text())
    result = check("--project", project, "--baseline", baseline, "--format", "json")
    assert result.code == 1, result
    document = result.json()
    grown = result_of(document, "baseline rss")
    assert not grown["ok"]
    assert grown["growth"][0]["package"] == "pandas" and grown["growth"][0]["new"]
    assert grown["growth"][0]["delta_bytes"] > 10 * MIB
    assert grown["measured_bytes"] - grown["baseline_bytes"] > 10 * MIB
    assert any(detail.startswith("grew most: pandas +") for detail in grown["details"])
    assert grown["site"]["file"] == str(models.resolve()) and grown["site"]["line"] == 1
    assert not result_of(document, "baseline private")["ok"]


def test_target_that_cannot_boot_is_an_error(tmp_path):
    result = check("-m", "no_such_module_here", "--project", tmp_path, "--max-rss", "1GiB")
    assert result.code == 2, result
    assert result.err.strip().splitlines()[-1].startswith("lazyaudit: error: ")


# --- limits judged on the saved report ----------------------------------------------------


def test_max_rss_and_max_private(saved, sample_report):
    totals = sample_report["totals"]
    below, above = totals["rss_bytes"] - 10 * MIB, totals["rss_bytes"] + 10 * MIB
    result = check("--report", saved, "--max-rss", below)
    assert result.code == 1, result
    assert "FAIL max-rss: startup RSS of one worker" in result.out
    assert "largest packages (self RSS, MiB): pandas" in result.out
    assert check("--report", saved, "--max-rss", above).code == 0

    private = f"{(totals['rss_anon_bytes'] - 5 * MIB) / MIB:.1f}MiB"
    result = check("--report", saved, "--max-rss", above, "--max-private", private,
                   "--format", "json")
    assert result.code == 1, result
    document = result.json()
    assert result_of(document, "max-rss")["ok"]
    failed = result_of(document, "max-private")
    assert not failed["ok"] and failed["measured_bytes"] == totals["rss_anon_bytes"]
    assert document["summary"] == "1 of 2 limits broken"


def test_package_and_module_budgets(saved, sample_report):
    pandas = package_self_rss(sample_report, "pandas")
    views = next(m for m in sample_report["modules"] if m["name"] == "reports.views")
    cumulative = views["cumulative"]["rss_bytes"]
    assert cumulative > pandas > 10 * MIB     # views drags in more than pandas' own code

    result = check("--report", saved, "--budget", f"pandas={int(pandas * 0.8)}",
                   "--budget", f"reports.views={int(cumulative * 1.2)}",
                   "--budget", "no_such_package=1MiB", "--format", "json")
    assert result.code == 1, result
    document = result.json()
    package = result_of(document, "budget pandas")
    assert not package["ok"] and package["measured_bytes"] == pandas
    assert package["what"].startswith("package pandas: self RSS of its ")
    assert package["site"]["file"].endswith("reports/views.py")
    module = result_of(document, "budget reports.views")
    assert module["ok"] and module["measured_bytes"] == cumulative
    absent = result_of(document, "budget no_such_package")
    assert absent["ok"] and absent["measured_bytes"] == 0 and "not loaded" in absent["what"]

    result = check("--report", saved, "--budget", f"pandas={int(pandas * 1.2)}",
                   "--budget", f"reports.views={int(cumulative * 0.8)}")
    assert result.code == 1, result
    assert "FAIL budget reports.views: module reports.views: cumulative RSS" in result.out
    assert "FAIL budget pandas" not in result.out


def test_budgets_and_limits_from_pyproject(saved, sample_report, tmp_path):
    pandas = package_self_rss(sample_report, "pandas")
    write_config(tmp_path, f'budgets = {{pandas = "{(pandas + MIB) / MIB:.1f}MiB", '
                           f'"django" = "1MiB"}}\nmax-rss = "1GiB"\nworkers = 3\n')
    result = check("--report", saved, "--project", tmp_path, "--format", "json")
    assert result.code == 1, result
    document = result.json()
    assert [r["check"] for r in document["results"]] == ["max-rss", "budget pandas",
                                                        "budget django"]
    assert [r["ok"] for r in document["results"]] == [True, True, False]
    assert document["workers"]["workers"] == 3
    assert document["workers"]["source"] == "workers in [tool.lazyaudit]"

    # The command line wins over the file; an unquoted dotted key names a module too.
    write_config(tmp_path, 'budgets = {reports.views = "1MiB"}\n')
    result = check("--report", saved, "--project", tmp_path, "--budget", "reports.views=1GiB")
    assert result.code == 0, result
    assert check("--report", saved, "--project", tmp_path).code == 1


def test_tolerance_absorbs_noise(saved, sample_report):
    measured = sample_report["totals"]["rss_bytes"]
    just_below = str(int(measured / 1.01))          # 1% under: within the default 2%
    assert check("--report", saved, "--max-rss", just_below).code == 0
    result = check("--report", saved, "--max-rss", just_below, "--tolerance", "0")
    assert result.code == 1, result
    assert "with the 0.0 MiB tolerance" in result.out
    assert check("--report", saved, "--max-rss", str(measured - MIB),
                 "--tolerance", "2MiB").code == 0


def test_baseline_from_saved_reports(saved, sample_report, tmp_path):
    assert check("--report", saved, "--baseline", saved).code == 0
    smaller = dict(sample_report, totals=dict(sample_report["totals"]))
    smaller["totals"]["rss_bytes"] -= 20 * MIB
    smaller["totals"]["rss_anon_bytes"] -= 20 * MIB
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(smaller))
    result = check("--report", saved, "--baseline", baseline)
    assert result.code == 1, result
    assert "FAIL baseline rss: startup RSS" in result.out
    assert "is 20.0 MiB above the baseline's" in result.out
    assert check("--report", saved, "--baseline", baseline, "--max-increase", "25MiB").code == 0
    assert check("--report", saved, "--baseline", baseline, "--max-increase", "5%").code == 1
    assert check("--report", saved, "--baseline", baseline, "--max-increase", "50%").code == 0


def test_update_baseline_writes_the_report(saved, tmp_path):
    baseline = tmp_path / "base.json"
    result = check("--report", saved, "--baseline", baseline, "--update-baseline")
    assert result.code == 0, result
    assert f"baseline written to {baseline}" in result.out
    assert json.loads(baseline.read_text())["totals"] == json.loads(saved.read_text())["totals"]
    assert lazyaudit("report", baseline, "--top", "3").code == 0


# --- output ----------------------------------------------------------------------------


def test_table_and_markdown(saved):
    args = ("--report", saved, "--max-rss", "1GiB", "--forbid", "pandas,tarfile,ftplib")
    table = check(*args)
    assert table.code == 1
    header = next(line for line in table.out.splitlines() if line.startswith("check"))
    assert header.split() == ["check", "what", "measured", "MiB", "limit", "MiB", "verdict"]
    rows = {line.split()[0] + " " + line.split()[1]: line.split()[-1]
            for line in table.out.splitlines() if line.startswith(("max-rss", "forbid"))}
    assert rows == {"max-rss startup": "ok", "forbid pandas": "FAIL", "forbid tarfile": "FAIL",
                    "forbid ftplib": "ok"}
    assert "-> tarfile  pandas/io/common.py" in table.out     # pandas loads tarfile

    markdown = check(*args, "--format", "markdown")
    assert markdown.code == 1
    lines = markdown.out.splitlines()
    assert lines[0] == "### lazyaudit check of `django:shop.settings`: 2 of 4 limits broken"
    assert lines[2].startswith("| check ") and lines[3].startswith("|---")
    assert any(line.startswith("| forbid pandas ") and "**FAIL**" in line for line in lines)
    assert "**FAIL** `forbid pandas`: pandas is forbidden" in markdown.out
    assert "```\npandas is loaded at startup (stage: urls) by this chain:" in markdown.out


def test_worker_projection(saved, sample_report):
    totals = sample_report["totals"]
    shared, private = totals["rss_file_bytes"], totals["rss_anon_bytes"]
    result = check("--report", saved, "--max-rss", "1GiB", "--workers", "4", "--format", "json")
    assert result.code == 0, result
    workers = result.json()["workers"]
    assert workers == {"workers": 4, "source": "--workers", "shared_bytes": shared,
                       "private_bytes": private, "total_bytes": shared + 4 * private,
                       "preload_fresh_bytes": shared + private,
                       "preload_worn_bytes": shared + 5 * private}

    table = check("--report", saved, "--max-rss", "1GiB", "--workers", "4").out
    assert (f"without --preload: shared {shared / MIB:.1f} MiB once + 4 x private "
            f"{private / MIB:.1f} MiB = {(shared + 4 * private) / MIB:.1f} MiB") in table

    default = check("--report", saved, "--max-rss", "1GiB", "--format", "json").json()
    cores = os.cpu_count()
    assert default["workers"]["workers"] == 2 * cores + 1
    assert default["workers"]["source"] == f"2 x {cores} cores + 1, gunicorn's suggestion"


def test_github_annotations_and_step_summary(saved, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(ROOT),
           "GITHUB_STEP_SUMMARY": str(summary)}
    result = check("--report", saved, "--max-private", "1MiB", "--forbid", "pandas",
                   "--max-rss", "1GiB", env=env)
    assert result.code == 1, result
    errors = [line for line in result.out.splitlines() if line.startswith("::error")]
    assert len(errors) == 2
    assert errors[0].startswith("::error title=lazyaudit max-private::private RSS of one worker")
    assert "%0Alargest packages" in errors[0]
    assert errors[1].startswith("::error title=lazyaudit forbid pandas,"
                                "file=sample_project/reports/views.py,line=3::pandas is forbidden")
    assert "%0A          -> pandas  reports/views.py:3" in errors[1]
    text = summary.read_text()
    assert text.startswith("earlier step\n### lazyaudit check of `django:shop.settings`: "
                           "2 of 3 limits broken\n")

    # JSON on stdout stays parseable: the annotations go to stderr then.
    result = check("--report", saved, "--forbid", "pandas", "--format", "json",
                   env={**env, "GITHUB_STEP_SUMMARY": ""})
    assert result.code == 1 and result.json()["passed"] is False
    assert result.err.startswith("::error title=lazyaudit forbid pandas,")

    quiet = check("--report", saved, "--forbid", "pandas")        # not under Actions
    assert quiet.code == 1 and "::error" not in quiet.out + quiet.err
    passing = check("--report", saved, "--max-rss", "1GiB", env=env)
    assert passing.code == 0 and "::error" not in passing.out
    assert summary.read_text().count("### lazyaudit check") == 2


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("config, fragments", [
    ('max-rss = "lots"\n', ["[tool.lazyaudit] max-rss: not a size: 'lots'"]),
    ('forbid = "pandas"\n', ["[tool.lazyaudit] forbid: must be a list of module names"]),
    ('budgets = ["pandas"]\n', ["[tool.lazyaudit] budgets: must be a table"]),
    ('budgets = {pandas = "2 parsecs"}\n', ["[tool.lazyaudit] budgets: not a size: '2 parsecs'"]),
    ('budgetz = {pandas = "2MiB"}\n', ["unknown key 'budgetz'"]),
    ('max-rss = "1GiB"\ntolerance = "lots%"\n', ["[tool.lazyaudit] tolerance: not a size or "
                                                "percentage"]),
    ('max-rss = "1GiB"\nworkers = 0\n', ["[tool.lazyaudit] workers"]),
    ('max-rss = "1GiB"\nmax-increase = "5%"\n', ["max-increase: needs a baseline"]),
    ('baseline = "missing.json"\n', ["missing.json does not exist", "--update-baseline"]),
    ("", ["no limits to check"]),
])
def test_bad_config(saved, tmp_path, config, fragments):
    write_config(tmp_path, config)
    assert_one_line_error(check("--report", saved, "--project", tmp_path), *fragments)


@pytest.mark.parametrize("args, fragments", [
    (["--max-rss", "1XB"], ["--max-rss: not a size: '1XB'"]),
    (["--budget", "pandas"], ["--budget: expected NAME=SIZE, got 'pandas'"]),
    (["--budget", "pan das=1MiB"], ["--budget: not a module or package name"]),
    (["--forbid", "pandas,no such"], ["--forbid: not a module name: 'no such'"]),
    (["--update-baseline"], ["--update-baseline: needs the file to write"]),
])
def test_bad_options(saved, tmp_path, args, fragments):
    assert_one_line_error(check("--report", saved, "--project", tmp_path, *args), *fragments)


def test_check_keys_do_not_upset_other_commands(tmp_path):
    write_config(tmp_path, 'forbid = ["pandas"]\nbudgets = {pandas = "1MiB"}\nworkers = 3\n')
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path, "--no-tracemalloc",
                       "--format", "json")
    assert result.code == 0, result


# --- pieces ----------------------------------------------------------------------------


def test_margins_and_config_shapes():
    assert parse_margin("x", "5%").of(200) == 10
    assert parse_margin("x", "1KiB") == Margin(bytes=1024)
    assert str(parse_margin("x", "2.5%")) == "2.5%"
    with pytest.raises(LimitError):
        parse_margin("x", "five")
    assert budgets_from_config({"pandas": "20MiB", "reports": {"views": "1MiB"}}) == \
        ("pandas=20MiB", "reports.views=1MiB")
    with pytest.raises(ValueError):
        budgets_from_config({"pandas": True})


def test_workflow_command_escaping():
    assert escape_data("50% done\nnext\r") == "50%25 done%0Anext%0D"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"
