"""A large real Django site (tests/bigsite: Wagtail, DRF, allauth, Celery, Sentry...)
booted through --python in its own virtualenv, which `make bigsite` creates."""

import json
import os
import subprocess

import pytest

from conftest import ROOT, lazyaudit

BIGSITE = ROOT / "tests" / "bigsite"
VENV = ROOT / ".cache" / "bigsite-venv"
PYTHON = VENV / "bin" / "python"
STAGES = ["setup", "urls", "app"]


def _venv_problem() -> str | None:
    if not PYTHON.exists():
        return f"{PYTHON.relative_to(ROOT)} is missing: run `make bigsite`"
    check = subprocess.run([str(PYTHON), "-c", "import django, wagtail, rest_framework, celery"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        why = (check.stderr.strip().splitlines() or [f"exit {check.returncode}"])[-1]
        return f"{VENV.relative_to(ROOT)} lacks the site's packages ({why}): run `make bigsite`"
    return None


@pytest.fixture(scope="module")
def venv():
    problem = _venv_problem()
    if problem:
        pytest.skip(problem)
    return PYTHON


@pytest.fixture(scope="module")
def report_file(venv, tmp_path_factory):
    """One measured boot of the big site (no tracemalloc), shared by the tests."""
    path = tmp_path_factory.mktemp("bigsite") / "report.json"
    result = lazyaudit("measure", "--project", BIGSITE, "--python", venv, "--format", "json",
                       "--no-tracemalloc", "--output", path, timeout=300)
    assert result.code == 0, result
    return path


@pytest.fixture(scope="module")
def report(report_file):
    return json.loads(report_file.read_text())


@pytest.fixture(scope="module")
def modules(report):
    return {module["name"]: module for module in report["modules"]}


@pytest.fixture(scope="module")
def stdlib_dir(venv):
    out = subprocess.run([str(venv), "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip().rstrip("/") + "/"


def test_boots_a_thousand_modules_in_every_stage(report, modules):
    assert report["target"] == "django:bigsite.settings"
    assert report["project"] == str(BIGSITE)
    assert report["stages"] == STAGES
    assert report["tracemalloc"] is False
    assert len(report["modules"]) >= 1000
    stages = [module["stage"] for module in report["modules"]]
    assert set(stages) == set(STAGES)
    # Records are kept in the order loads finished, and stages only move forward.
    assert stages == sorted(stages, key=STAGES.index)
    # Each stage loads what it should.
    assert modules["bigsite.settings"]["stage"] == "setup"
    assert modules["bigsite.blog.models"]["stage"] == "setup"        # django.setup() imports models
    assert modules["bigsite.urls"]["stage"] == "urls"
    assert modules["rest_framework.routers"]["stage"] == "urls"       # reached by bigsite.urls only
    assert modules["whitenoise.middleware"]["stage"] == "app"         # built by get_wsgi_application()
    assert modules["corsheaders.middleware"]["stage"] == "app"


def test_totals_are_consistent(report):
    totals = report["totals"]
    assert totals["modules"] == len(report["modules"])
    assert totals["rss_bytes"] == totals["rss_anon_bytes"] + totals["rss_file_bytes"]
    assert totals["rss_bytes"] > totals["interpreter"]["rss_bytes"] > 0
    # A site this size adds tens of MiB to a worker.
    assert totals["rss_bytes"] - totals["interpreter"]["rss_bytes"] > 30 * 2**20
    assert totals["tracemalloc_bytes"] == 0
    assert totals["time_ns"] > 0
    for module in report["modules"]:
        for part in ("self", "cumulative"):
            cost = module[part]
            assert cost["rss_bytes"] == cost["rss_anon_bytes"] + cost["rss_file_bytes"], module
            assert cost["tracemalloc_bytes"] == 0, module
        assert 0 <= module["self"]["time_ns"] <= module["cumulative"]["time_ns"], module
    # Loads with no parent are disjoint spans of the boot.
    roots = [m for m in report["modules"] if m["parent"] is None]
    assert sum(m["cumulative"]["time_ns"] for m in roots) <= totals["time_ns"]


def test_failed_optional_imports_are_listed_apart(report):
    # DRF tries django.contrib.postgres, which needs psycopg: not installed here.
    assert "django.contrib.postgres.fields" in report["failed_imports"]
    assert not modules_named(report, "django.contrib.postgres.fields")
    assert len(modules_named(report, "rest_framework.compat")) == 1
    names = [m["name"] for m in report["modules"]]
    assert len(names) == len(set(names))


def modules_named(report, name):
    return [m for m in report["modules"] if m["name"] == name]


def test_every_parent_is_in_the_report(report, modules):
    for module in report["modules"]:
        assert module["parent"] is None or module["parent"] in modules, module["name"]
        assert module["parent"] != module["name"]
    # Models are imported by django.setup() itself, from Django's app registry.
    assert modules["bigsite.blog.models"]["parent"] is None
    assert modules["bigsite.blog.models"]["importer"] == "django.apps.config"
    assert modules["wagtail.admin.panels"]["parent"] == "bigsite.blog.models"


@pytest.mark.parametrize("top, distribution", [
    ("wagtail", "wagtail"),
    ("rest_framework", "djangorestframework"),
    ("django", "Django"),
    ("allauth", "django-allauth"),
    ("celery", "celery"),
    ("botocore", "botocore"),
    ("sentry_sdk", "sentry-sdk"),
    ("drf_spectacular", "drf-spectacular"),
    ("django_filters", "django-filter"),
    ("yaml", "PyYAML"),
])
def test_third_party_modules_carry_their_distribution(report, top, distribution):
    found = [m for m in report["modules"] if m["name"] == top or m["name"].startswith(top + ".")]
    assert len(found) >= 1, top
    for module in found:
        assert module["kind"] == "third-party", module
        assert module["distribution"] == distribution, module


def test_first_party_and_stdlib_modules(report, modules, stdlib_dir):
    ours = [m for m in report["modules"] if m["name"].partition(".")[0] == "bigsite"]
    assert {"bigsite", "bigsite.settings", "bigsite.celery", "bigsite.urls", "bigsite.blog.models",
            "bigsite.catalog.api", "bigsite.catalog.admin"} <= {m["name"] for m in ours}
    for module in ours:
        assert module["kind"] == "first-party", module
        assert module["distribution"] is None, module
        assert module["file"].startswith(str(BIGSITE) + "/"), module
    for name in ("json", "decimal", "uuid", "logging", "email.utils", "asyncio", "sqlite3", "ssl"):
        assert modules[name]["kind"] == "stdlib", name
        assert modules[name]["distribution"] is None, name
    # Every module's kind agrees with where its file is.
    site_packages = str(VENV) + "/"
    for module in report["modules"]:
        file = module["file"]
        if file is None:
            continue
        if file.startswith(site_packages):
            assert module["kind"] == "third-party", module
        elif file.startswith(stdlib_dir):
            assert module["kind"] == "stdlib", module
        else:
            assert file.startswith(str(BIGSITE) + "/") and module["kind"] == "first-party", module


def _chain(modules, name):
    chain = []
    while name is not None:
        chain.append(name)
        name = modules[name]["parent"]
    return chain[::-1]


@pytest.mark.parametrize("name, entry", [
    ("wagtail.admin.panels", "django.setup()"),
    ("wagtail.images.views.serve", "URL patterns"),
])
def test_why_prints_the_chain_from_the_entry(report_file, modules, name, entry):
    chain = _chain(modules, name)
    assert chain[0].startswith("bigsite.") and len(chain) >= 2   # the site's own code asked
    result = lazyaudit("why", name, "--report", report_file)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert name in lines[0]
    assert entry in result.out
    # The chain, outermost first, one module a line below the entry.
    position = next(i for i, line in enumerate(lines) if entry in line)
    for link in chain:
        position = next(i for i, line in enumerate(lines) if i > position and link in line.split())
    assert name in lines[position].split()


def test_why_says_no_for_a_module_the_site_does_not_load(report_file):
    result = lazyaudit("why", "numpy", "--report", report_file)
    assert result.code == 1, result
    assert "not loaded" in result.out


def test_by_package_table(report_file, report):
    result = lazyaudit("report", report_file, "--by", "package", "--top", "500")
    assert result.code == 0, result
    rows = {line.split()[0]: line.split()[1] for line in result.out.splitlines()
            if len(line.split()) > 2 and line.split()[1] in ("first-party", "third-party",
                                                                  "stdlib")}
    for package, kind in (("wagtail", "third-party"), ("Django", "third-party"),
                          ("djangorestframework", "third-party"), ("celery", "third-party"),
                          ("bigsite", "first-party")):
        assert rows.get(package) == kind, result.out
    assert f"{len(report['modules'])} modules" in result.out


def test_tracemalloc_run(venv, tmp_path):
    """The default measure also boots under tracemalloc: every package gets traced bytes."""
    path = tmp_path / "traced.json"
    result = lazyaudit("measure", "--project", BIGSITE, "--python", venv, "--format", "json",
                       "--output", path, timeout=300)
    assert result.code == 0, result
    report = json.loads(path.read_text())
    assert report["tracemalloc"] is True
    assert len(report["modules"]) >= 1000
    assert report["totals"]["tracemalloc_bytes"] > 10 * 2**20
    modules = {module["name"]: module for module in report["modules"]}
    for name in ("wagtail.admin.panels", "bigsite.blog.models", "rest_framework.routers"):
        assert modules[name]["cumulative"]["tracemalloc_bytes"] > 0, name
    # RSS and time still come from the run without tracemalloc.
    assert report["totals"]["rss_bytes"] == (report["totals"]["rss_anon_bytes"]
                                             + report["totals"]["rss_file_bytes"])


def test_relative_python_path_is_taken_from_the_current_directory(venv):
    """`--python .cache/...` names a file relative to where lazyaudit runs, although the
    target itself runs in --project."""
    result = lazyaudit("measure", "--project", "tests/bigsite",
                       "--python", PYTHON.relative_to(ROOT), "--format", "json",
                       "--no-tracemalloc", cwd=ROOT, timeout=300)
    assert result.code == 0, result
    assert len(result.json()["modules"]) >= 1000


@pytest.fixture(scope="module")
def html_page(report_file):
    page = report_file.with_name("report.html")
    result = lazyaudit("report", report_file, "--format", "html", "--output", page)
    assert result.code == 0, result
    return page


def test_html_report_stays_small(html_page, report):
    assert html_page.stat().st_size < 2 * 2**20
    assert len(report["modules"]) >= 1500


def test_html_report_shows_every_module(html_page, report):
    from browser import chromium, open_report

    with chromium() as browser:
        visit = open_report(browser, html_page)
        assert visit.page.locator("#chart .node[data-name]").count() == len(report["modules"])
        # The site's own settings module is a visible first-party block.
        block = visit.box('.node[data-name="bigsite.settings"]')
        assert block is not None and block["width"] > 10
        assert visit.errors == [] and visit.console == []
        assert visit.requests == [html_page.as_uri()]


def test_requests_walks_every_argument_free_url_and_reports_the_failures(venv, tmp_path):
    """Every URL of the site's URLconf that needs no argument gets its requests, also
    after views that raise; the failures are named with their exception."""
    database = tmp_path / "scratch.sqlite3"
    env = {"BIGSITE_DATABASE": str(database)}
    subprocess.run([str(venv), "manage.py", "migrate", "-v0"], cwd=BIGSITE,
                   env={**os.environ, **env}, check=True, capture_output=True, timeout=300)
    output = tmp_path / "requests.json"
    result = lazyaudit("requests", "--project", BIGSITE, "--python", venv, "--warmup", "1",
                       "--requests", "400", "--rounds", "2", "--no-tracemalloc",
                       "--format", "json", "-o", output, "-q", env=env, timeout=600)
    assert result.code == 0, result
    document = json.loads(output.read_text())
    urls = document["urls"]
    assert len(urls) > 150
    sent = sum(sum(url["statuses"].values()) for url in urls)
    assert sent == document["warmup"] + 400 == len(urls) + 400   # none skipped or stopped
    failed = [url for url in urls if "500" in url["statuses"]]
    assert failed and all(url["errors"] for url in failed)         # each with its exception
    assert any(url["first_modules"] > 10 for url in urls)         # late imports on first hits
    assert document["late_imports"]
