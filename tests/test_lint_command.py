"""`lazyaudit lint` run as a user runs it, on small real projects: PATHS, the outputs,
exit codes, suppression comments, [tool.lazyaudit.lint], the baseline and
--requests-report."""

import json
from pathlib import Path

import pytest

from conftest import SAMPLE, lazyaudit

from lazyaudit.model.lint import LintReport

VIEWS = """\
SEEN = []
CACHE = {}


def view(request):
    SEEN.append(request.path)
    CACHE[request.user.pk] = request.GET


def other(request):
    SEEN.append(request.path)  # lazyaudit: ignore[LA501]
"""
URLS = """\
from django.urls import path
from app import views

urlpatterns = [path("v/", views.view), path("o/", views.other)]
"""


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app/__init__.py").write_text("")
    (tmp_path / "app/views.py").write_text(VIEWS)
    (tmp_path / "urls.py").write_text(URLS)
    (tmp_path / "helpers.py").write_text("def unrelated():\n    pass\n")
    return tmp_path


def test_text_output_and_exit_codes(project):
    result = lazyaudit("lint", cwd=project)
    assert result.code == 1, result
    lines = result.out.splitlines()
    assert lines[0].startswith("app/views.py:6:5: LA501 module-level list `app.views.SEEN` grows")
    assert lines[1].startswith("app/views.py:7:5: LA501 module-level dict `app.views.CACHE`")
    assert lines[-1] == "Found 2 findings in 4 files (1 suppressed)."
    # PATHS limit what is reported, never what is analysed: the views are still found
    # from urls.py when only the views file is passed, and another file has nothing.
    assert lazyaudit("lint", "app/views.py", cwd=project).code == 1
    clean = lazyaudit("lint", "helpers.py", cwd=project)
    assert clean.code == 0 and clean.out == "No findings in 4 files.\n"


def test_bad_input_is_one_line_and_exit_2(project):
    (project / "latin1.json").write_bytes(b"\xff\xfe")
    for args, message in [
        (["missing.py"], "missing.py: no such file or directory"),
        (["--select", "LA999"], "no rule has the code 'LA999'"),
        (["--baseline", "nope.json"], "baseline nope.json: cannot read"),
        (["--requests-report", "urls.py"], "--requests-report urls.py: not JSON"),
        (["--write-baseline"], "--write-baseline needs --baseline FILE"),
        (["--baseline", "latin1.json"], "baseline latin1.json: not a baseline lint wrote"),
    ]:
        result = lazyaudit("lint", *args, cwd=project)
        assert result.code == 2, result
        assert result.err.startswith("lazyaudit: error: ") and message in result.err, result
        assert "Traceback" not in result.err


def test_json_output(project):
    result = lazyaudit("lint", "--format", "json", cwd=project)
    data = result.json()
    assert data["schema"] == 1 and data["files"] == 4 and data["suppressed"] == 1
    first = data["findings"][0]
    assert (first["code"], first["path"], first["line"], first["col"]) == \
        ("LA501", "app/views.py", 6, 5)
    assert (first["state"], first["function"], first["entry"], first["entry_kind"]) == \
        ("app.views.SEEN", "app.views.view", "app.views.view", "view")
    assert LintReport.from_json(data).to_json() == data      # read back as written


def test_config_select_ignore_and_per_file_ignores(project):
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.lazyaudit.lint]\nignore = ["LA501"]\n')
    assert lazyaudit("lint", cwd=project).code == 0
    pyproject.write_text('[tool.lazyaudit.lint]\nper-file-ignores = {"app/*" = ["LA5"]}\n')
    assert lazyaudit("lint", cwd=project).code == 0
    pyproject.write_text('[tool.lazyaudit.lint]\nselect = ["LA503"]\n')
    assert lazyaudit("lint", cwd=project).code == 0
    # the command line wins over the file
    assert lazyaudit("lint", "--select", "LA501", cwd=project).code == 1
    pyproject.write_text('[tool.lazyaudit.lint]\nselect = "LA501"\n')
    result = lazyaudit("lint", cwd=project)
    assert result.code == 2 and "[tool.lazyaudit.lint] select: must be a list" in result.err
    pyproject.write_text('[tool.lazyaudit.lint]\nbogus = 1\n')
    result = lazyaudit("lint", cwd=project)
    assert result.code == 2 and "unknown key 'bogus'" in result.err
    # the other commands accept the lint table in [tool.lazyaudit]
    pyproject.write_text('[tool.lazyaudit]\ntop = 5\n[tool.lazyaudit.lint]\nignore = []\n')
    assert lazyaudit("rank", "--report", "missing.json", cwd=project).err.count(
        "unknown key") == 0


def test_baseline_refuses_only_new_findings(project):
    baseline = project / "lint-baseline.json"
    written = lazyaudit("lint", "--baseline", baseline, "--write-baseline", cwd=project)
    assert written.code == 0 and baseline.exists(), written
    assert len(json.loads(baseline.read_text())["findings"]) == 2
    # lines above move: the known findings stay known
    views = project / "app/views.py"
    views.write_text("# a new first line\n" + views.read_text())
    known = lazyaudit("lint", "--baseline", baseline, cwd=project)
    assert known.code == 0 and "(1 suppressed, 2 in the baseline)" in known.out, known
    views.write_text(views.read_text() + "\n\ndef third(request):\n    SEEN.add(1)\n")
    (project / "urls.py").write_text(URLS.replace("]\n", ', path("t/", views.third)]\n'))
    new = lazyaudit("lint", "--baseline", baseline, cwd=project)
    assert new.code == 1 and new.out.count("LA501") == 1 and "third" in new.out
    # the same finding again, in a function the baseline knows: new too
    views.write_text(views.read_text().replace(
        "    SEEN.append(request.path)\n", "    SEEN.append(request.path)\n"
        "    SEEN.append(request.path)\n", 1))
    again = lazyaudit("lint", "--baseline", baseline, cwd=project)
    assert again.code == 1 and again.out.count("LA501") == 2, again
    # the baseline named in [tool.lazyaudit.lint], relative to the pyproject.toml
    (project / "pyproject.toml").write_text('[tool.lazyaudit.lint]\nbaseline = "known.json"\n')
    assert lazyaudit("lint", "--write-baseline", cwd=project).code == 0
    assert lazyaudit("lint", cwd=project).code == 0
    assert len(json.loads((project / "known.json").read_text())["findings"]) == 4
    baseline.write_text('{"schema": 1}')
    bad = lazyaudit("lint", "--baseline", baseline, cwd=project)
    assert bad.code == 2 and "not a lazyaudit lint baseline" in bad.err


def test_requests_report_confirms_by_qualified_name(project):
    report = project / "requests.json"
    report.write_text(json.dumps({"state": [
        {"name": "app.views.SEEN", "type": "list", "items_per_request": 1.0,
         "bytes_per_request": 120.5, "verdict": "leak"},
        {"name": "app.views.CACHE", "type": "dict", "items_per_request": 0,
         "bytes_per_request": 0, "verdict": "flat"},
        {"name": "app.other.SEEN", "type": "list", "items_per_request": 3,
         "bytes_per_request": 10, "verdict": "leak"},
    ]}))
    data = lazyaudit("lint", "--requests-report", report, "--format", "json",
                     cwd=project).json()
    confirmed = {f["state"]: (f["confirmed"], f["items_per_request"], f["bytes_per_request"])
                 for f in data["findings"]}
    assert confirmed == {"app.views.SEEN": (True, 1.0, 120.5),
                         "app.views.CACHE": (False, None, None)}
    text = lazyaudit("lint", "--requests-report", report, cwd=project).out
    assert "[confirmed: +1.0 items, +120 B per request]" in text
    report.write_text('{"state": [{"type": "list"}]}')
    bad = lazyaudit("lint", "--requests-report", report, cwd=project)
    assert bad.code == 2 and "has no \"name\"" in bad.err


def test_sarif_github_and_markdown(project):
    sarif = json.loads(lazyaudit("lint", "--format", "sarif", cwd=project).out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == \
        ["LA501", "LA502", "LA503", "LA504", "LA505"]
    result = run["results"][0]
    assert result["ruleId"] == "LA501" and run["tool"]["driver"]["rules"][
        result["ruleIndex"]]["id"] == "LA501"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "app/views.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 6, "startColumn": 5}}
    assert result["partialFingerprints"]["lazyaudit/v1"] == \
        "LA501:app/views.py:app.views.SEEN:app.views.view"
    assert "## Why it matters" in run["tool"]["driver"]["rules"][0]["help"]["markdown"]
    written = lazyaudit("lint", "-o", project / "out.sarif", cwd=project)
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0", written

    github = lazyaudit("lint", "--format", "github", cwd=project,
                       env={"GITHUB_WORKSPACE": str(project.parent)}).out.splitlines()
    assert github[0].startswith(f"::error file={project.name}/app/views.py,line=6,col=5,"
                                "title=lazyaudit LA501 module-state-per-request::")

    markdown = lazyaudit("lint", "--format", "markdown", cwd=project).out
    assert markdown.startswith("### lazyaudit lint: Found 2 findings")
    assert "| [LA501](docs/rules/LA501.md) | `app/views.py:6` |" in markdown


def test_sample_project_from_the_command_line():
    result = lazyaudit("lint", "--format", "json", "--project", SAMPLE)
    assert result.code == 1
    assert sorted(f["state"] for f in result.json()["findings"]) == [
        "reports.summary.RevenueSummary._cache", "reports.views.RECENT_EXPORTS",
        "shop.middleware.CurrentUserMiddleware.current_user"]


@pytest.mark.parametrize("comment", ["# lazyaudit: ignore[LA501", "# lazyaudit: ignore[LA-501]",
                                     "# lazyaudit: ignored"])
def test_a_malformed_suppression_suppresses_nothing(project, comment):
    views = project / "app/views.py"
    views.write_text(VIEWS.replace("# lazyaudit: ignore[LA501]", comment))
    data = lazyaudit("lint", "--format", "json", cwd=project).json()
    assert data["suppressed"] == 0
    assert ("LA501", 11) in {(f["code"], f["line"]) for f in data["findings"]}
