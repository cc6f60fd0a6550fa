"""measure and rank on every real project of the corpus, through the real command line.

The assertions are invariants that hold for any project: the boot succeeds, the numbers are
sane, the project's own code is first-party and nothing else is, every candidate points at a
real import statement of the project's own code. Each project also boots without lazyaudit,
so that a failure under lazyaudit is lazyaudit's and not the corpus's set-up.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from lazyaudit_cli import lazyaudit
from projects import KNOWN_FAILURES

MiB = 1024 * 1024
VERDICTS = {"safe", "no-gain", "unsafe"}
BOOT_TIMEOUT = 900

# What lazyaudit's boot does, per kind of target, done by hand.
PLAIN_BOOT = {
    "--django": "import os\n"
                "os.environ['DJANGO_SETTINGS_MODULE'] = {value!r}\n"
                "import django\n"
                "django.setup()\n"
                "from django.conf import settings\n"
                "__import__(settings.ROOT_URLCONF)\n"
                "from django.core.wsgi import get_wsgi_application\n"
                "get_wsgi_application()\n",
    "-m": "import {value}\n",
}


def test_the_project_boots_without_lazyaudit(project):
    """A failure of lazyaudit on the project is lazyaudit's, not the corpus's set-up."""
    option, value = project.target
    completed = subprocess.run(
        [str(project.python), "-c", PLAIN_BOOT[option].format(value=value)],
        cwd=project.project, capture_output=True, text=True, timeout=BOOT_TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(project.project)})
    assert completed.returncode == 0, completed.stderr


@pytest.mark.usefixtures("expect_known_failure")
def test_measure_boots_the_project(project, results_dir):
    path, error = (results_dir / f"{project.name}.{kind}" for kind in ("measure.json", "error"))
    for stale in (path, error):
        stale.unlink(missing_ok=True)
    result = lazyaudit("measure", *project.options(), "--no-rank", "--format", "json",
                       "--output", path, timeout=BOOT_TIMEOUT)
    if result.code != 0:   # docs/realworld.md says why the project did not boot
        error.write_text((result.err.strip().splitlines() or [f"exit {result.code}"])[-1])
    assert result.code == 0, result
    report = json.loads(path.read_text())

    assert report["project"] == str(project.project.resolve())
    assert report["tracemalloc"] is True
    modules = {module["name"]: module for module in report["modules"]}
    totals = report["totals"]
    assert totals["modules"] == len(modules)
    assert 100 <= len(modules) <= 20000
    # Startup RSS: more than a bare interpreter, less than any web worker would be let to grow.
    assert totals["interpreter"]["rss_bytes"] < totals["rss_bytes"] < 2048 * MiB
    assert totals["rss_bytes"] - totals["interpreter"]["rss_bytes"] > 5 * MiB
    assert totals["rss_anon_bytes"] + totals["rss_file_bytes"] == totals["rss_bytes"]
    assert 0 < totals["tracemalloc_bytes"] < totals["rss_bytes"]

    # The project's own code is first-party, and only code under the project root is.
    own = modules[project.own_module]
    assert own["kind"] == "first-party"
    assert Path(own["file"]).resolve() == (project.project / project.own_file).resolve()
    assert modules[project.library]["kind"] == "third-party"
    assert modules["json"]["kind"] == "stdlib"
    root = str(project.project.resolve()) + os.sep
    for module in report["modules"]:
        if module["kind"] == "first-party" and module["file"]:
            assert os.path.realpath(module["file"]).startswith(root), module
        elif module["file"] and "site-packages" not in module["file"]:
            assert not os.path.realpath(module["file"]).startswith(root), module


@pytest.mark.usefixtures("expect_known_failure")
def test_rank_finds_candidates_in_the_projects_own_code(project, results_dir):
    result = lazyaudit("rank", *project.options(), "--no-tracemalloc", "--format", "json",
                       timeout=BOOT_TIMEOUT)
    assert result.code == 0, result
    (results_dir / f"{project.name}.rank.json").write_text(result.out)
    ranking = result.json()

    candidates = ranking["candidates"]
    assert candidates, "no candidate at all in a real project"
    root = project.project.resolve()
    for candidate in candidates:
        assert candidate["verdict"] in VERDICTS, candidate
        assert candidate["savings"]["rss_bytes"] >= 0, candidate
        if candidate["verdict"] != "safe":
            assert candidate["reason"], candidate
        # One import statement that cannot move keeps the module at startup: never safe.
        verdicts = {site["verdict"] for site in candidate["sites"]}
        if candidate["verdict"] == "safe":
            assert verdicts == {"safe"}, candidate
        if candidate["verdict"] == "unsafe":
            assert "unsafe" in verdicts, candidate
        for site in candidate["sites"]:
            source = root / site["file"]
            assert source.suffix == ".py" and source.is_file(), site
            assert site["line"] <= len(source.read_text(errors="replace").splitlines()), site
    # The project's own code is read: its import statements are among the sites.
    assert project.own_file in {site["file"] for c in candidates for site in c["sites"]}
    safe = {c["module"] for c in candidates if c["verdict"] == "safe"}
    assert set(ranking["deferral"]["modules"]) <= safe


@pytest.mark.usefixtures("expect_known_failure")
def test_every_safe_candidate_is_confirmed_by_a_what_if_boot(project, results_dir):
    """The invariant: what the ranking calls safe, a boot of what fix would write confirms:
    the module leaves startup, and the private memory drops by the estimate. Nothing the
    framework loads anyway is safe."""
    # --min-savings 0: every safe candidate with any saving gets its own boot, medians of 5
    # (one where the failure is known and systematic). With tracemalloc: the estimate
    # counts what the modules' Python objects take, also where it fell in pages touched
    # earlier.
    known = (project.name, "test_every_safe_candidate_is_confirmed_by_a_what_if_boot")
    repeat = "1" if known in KNOWN_FAILURES else "5"
    result = lazyaudit("rank", *project.options(), "--confirm",
                       "--repeat", repeat, "--min-savings", "0", "--format", "json",
                       timeout=BOOT_TIMEOUT * 8)
    assert result.code == 0, result
    (results_dir / f"{project.name}.confirm.json").write_text(result.out)
    ranking = result.json()
    refuted = [(c["module"], c["reason"]) for c in ranking["candidates"]
               if c["verdict"] == "refuted"]
    assert refuted == [], refuted
    for candidate in ranking["candidates"]:
        if candidate["verdict"] == "safe" and candidate["savings"]["rss_bytes"] > 0:
            confirmation = candidate["confirmation"]
            assert confirmation["confirmed"] and not confirmation["still_loaded"], candidate
    # The boot of all of them together is shown, not held to the margin: on Oscar four
    # candidates estimated at 0.3 MiB together freed 0.5 MiB in one run and 1.3 MiB in
    # another (memory the graph cannot attribute, as on pretix; see docs/realworld.md).
