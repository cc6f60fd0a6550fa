"""`requests` on a migrated and seeded copy of the sample Django project: real boots,
real requests through Django's WSGI handler inside the booted process, and the
request-phase bugs planted in sample_project found by their qualified names."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import lazyaudit, seeded_sample_copy

# One worker runs them all, so that the shared run is made once.
pytestmark = pytest.mark.xdist_group("requests")
# Few requests keep the suite quick; the lru_cache of shop.middleware (maxsize 128)
# still fills within the rounds: 24 URLs x 2 warm-up requests, then 30 per round.
SMALL = ("--requests", "150", "--rounds", "5", "-q")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the sample project with its database migrated and a few rows in it."""
    return seeded_sample_copy(tmp_path_factory.mktemp("requests"), (
        "from django.contrib.auth.models import User\n"
        "User.objects.create_user('ada', password='not-secret-1', is_staff=True)\n"))


def requests(project: Path, *args):
    return lazyaudit("requests", "--project", project, "--python", sys.executable, *args)


@pytest.fixture(scope="module")
def document(project) -> dict:
    """One run of both phases (RSS, then tracemalloc), shared by the tests that read it."""
    result = requests(project, *SMALL, "--format", "json")
    assert result.code == 0, result
    return result.json()


def state(document: dict, name: str) -> dict:
    return next(item for item in document["state"] if item["name"] == name)


def test_every_argument_free_url_is_sent_through_django(document):
    paths = [url["path"] for url in document["urls"]]
    assert {"/health/", "/catalog/", "/catalog/feed.xml", "/reports/", "/reports/orders.csv",
            "/uploads/", "/admin/"} <= set(paths)
    assert document["host"] == "localhost"          # the first usable ALLOWED_HOSTS
    assert document["warmup"] == 2 * len(paths)
    health = next(url for url in document["urls"] if url["path"] == "/health/")
    assert sum(health["statuses"].values()) == 1 + health["later_count"]
    assert set(health["statuses"]) == {"200"}
    assert all(isinstance(url["later_rss_anon_bytes"], int) for url in document["urls"])
    assert set(document["urls"][0]["statuses"]) == {"302"}   # /admin/ redirects to login
    assert [reading["requests"] for reading in document["rounds"]] == [0, 30, 60, 90, 120, 150]


def test_the_leaks_are_named_with_their_growth_per_request(document):
    exports = state(document, "reports.views.RECENT_EXPORTS")
    assert exports["type"] == "list" and exports["verdict"] == "leak"
    assert exports["by_url"] == {"/reports/orders.csv": 1.0}
    assert exports["items_per_request"] == pytest.approx(1 / len(document["urls"]), rel=0.2)
    assert exports["bytes_per_request"] > 0
    cache = state(document, "reports.summary.RevenueSummary._cache")
    assert cache["type"] == "dict" and cache["verdict"] == "leak"
    assert cache["by_url"] == {"/reports/": 1.0}
    hits = sum(url["statuses"]["200"] for url in document["urls"] if url["path"] == "/reports/")
    assert cache["lengths"][-1] - cache["lengths"][0] == hits - 2   # after the warm-up


def test_the_bounded_lru_cache_is_a_plateau_not_a_leak(document):
    served = state(document, "shop.middleware.served_at_header")
    assert served["type"] == "lru_cache"
    assert served["verdict"] == "plateau"
    assert served["lengths"][-1] == 128
    assert 0 < served["fill_request"] < 150


def test_the_containers_that_do_not_grow_are_flat(document):
    patterns = state(document, "shop.urls.urlpatterns")
    assert patterns["verdict"] == "flat" and patterns["items_per_request"] == 0


def test_the_leaking_lines_are_top_allocation_sites(document):
    sites = {site["site"]: site for site in document["sites"]}
    assert "reports/summary.py:29" in sites       # self._cache[key] = window.aggregate(...)
    assert sites["reports/summary.py:29"]["source"].startswith("self._cache[key] =")
    assert sites["reports/summary.py:29"]["bytes_per_request"] > 0
    assert any(site.startswith("reports/views.py:") for site in sites)
    assert not any("_lazyaudit_" in (site["file"] or "") for site in document["sites"])


def test_the_request_kept_on_the_middleware_is_named_with_its_holder(document):
    kept = {item["type"]: item for item in document["survivors"]}
    request = kept["django.core.handlers.wsgi.WSGIRequest"]
    assert request["count"] == 1
    assert request["holder"] == "shop.middleware.CurrentUserMiddleware.current_user"


def test_first_hits_import_modules_late(document):
    late = {item["path"]: item for item in document["late_imports"]}
    assert "pandas.io.formats.csvs" in late["/reports/orders.csv"]["modules"]
    assert late["/reports/orders.csv"]["time_ns"] > 0


def test_the_table_names_leaks_plateau_and_holder(project):
    result = requests(project, "--urls", _urls(project), "--requests", "60", "--rounds", "3",
                      "-q")
    assert result.code == 0, result
    assert "reports.views.RECENT_EXPORTS" in result.out
    assert "+1 per request to /reports/orders.csv" in result.out
    assert "held by shop.middleware.CurrentUserMiddleware.current_user" in result.out
    assert "/admin/" not in result.out      # only the file's URLs, without --walk


def _urls(project: Path) -> Path:
    path = project.parent / "urls.txt"
    path.write_text("# the shop's pages\n/health/\n/reports/\n/reports/orders.csv\n")
    return path


def test_a_view_that_raises_is_a_500_with_its_exception_and_the_run_goes_on(project, tmp_path):
    (project / "shop" / "urls_boom.py").write_text(
        "from django.urls import include, path\n"
        "def boom(request):\n"
        "    raise ValueError('the view broke')\n"
        "urlpatterns = [path('boom/', boom), path('', include('shop.urls'))]\n")
    (project / "shop" / "settings_boom.py").write_text(
        "from .settings import *\nROOT_URLCONF = 'shop.urls_boom'\n")
    urls = tmp_path / "urls.json"
    urls.write_text(json.dumps(["/health/", "/boom/", {"method": "POST", "path": "/uploads/new/",
                                                       "body": "x"}, "/no/such/page/"]))
    result = requests(project, "--settings", "shop.settings_boom", "--urls", urls,
                      "--requests", "8", "--rounds", "2", "--no-tracemalloc", "--format",
                      "json", "-q")
    assert result.code == 0, result
    urls = {url["path"]: url for url in result.json()["urls"]}
    assert urls["/boom/"]["statuses"] == {"500": 4}
    assert urls["/boom/"]["errors"] == ["ValueError: the view broke"]
    assert urls["/health/"]["statuses"] == {"200": 4}      # the run went on
    assert set(urls["/no/such/page/"]["statuses"]) == {"404"}
    assert set(urls["/uploads/new/"]["statuses"]) == {"403"}   # CSRF, as a real client gets
    assert result.json()["sites"] == [] and result.json()["frames"] is None


def test_a_wsgi_app_that_raises_is_a_500(tmp_path):
    (tmp_path / "plain.py").write_text(
        "def application(environ, start_response):\n"
        "    if environ['PATH_INFO'] == '/boom':\n"
        "        raise RuntimeError('no luck')\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [environ['HTTP_HOST'].encode()]\n")
    (tmp_path / "urls.txt").write_text("/\n/boom\n")
    result = lazyaudit("requests", "--project", tmp_path, "--app", "plain:application",
                       "--urls", tmp_path / "urls.txt", "--requests", "4", "--rounds", "2",
                       "--format", "json", "-q")
    assert result.code == 0, result
    urls = {url["path"]: url for url in result.json()["urls"]}
    assert urls["/"]["statuses"] == {"200": 4}
    assert urls["/boom"]["statuses"] == {"500": 4}
    assert urls["/boom"]["errors"] == ["RuntimeError: no luck"]


def test_an_unreadable_or_bad_url_file_is_one_line(project, tmp_path):
    result = requests(project, "--urls", tmp_path / "missing.txt")
    assert result.code == 2 and result.err.strip().splitlines()[-1].startswith(
        "lazyaudit: error: --urls")
    bad = tmp_path / "bad.txt"
    bad.write_text("/health/\nhealth page\n")
    result = requests(project, "--urls", bad)
    assert result.code == 2
    assert result.err.strip() == (f"lazyaudit: error: --urls {bad}:2: not a path starting "
                                  "with '/': 'health page'")


def test_an_unknown_user_is_one_line(project):
    result = requests(project, "--user", "nobody", "--requests", "2", "--rounds", "2",
                      "--no-tracemalloc", "-q")
    assert result.code == 2
    assert result.err.strip() == ("lazyaudit: error: --user nobody: no such user in the "
                                  "database of shop.settings")


def test_a_target_that_does_not_boot_is_one_line_after_its_traceback(project, tmp_path):
    result = requests(project, "--settings", "shop.no_such_settings", "-q")
    assert result.code == 2
    assert result.err.strip().splitlines()[-1].startswith(
        "lazyaudit: error: django:shop.no_such_settings failed to boot")


def test_after_fix_pandas_is_a_late_import_of_the_csv_export_with_its_cost(project, tmp_path):
    fixed = tmp_path / "fixed"
    shutil.copytree(project, fixed, ignore=shutil.ignore_patterns("__pycache__"))
    result = lazyaudit("fix", "--select", "pandas", "--project", fixed, "--no-tracemalloc",
                       "--python", sys.executable, "-q")
    assert result.code == 0, result
    assert "import pandas" not in (fixed / "reports/views.py").read_text().split("def ")[0]
    result = requests(fixed, "--urls", _urls(fixed), "--requests", "6", "--rounds", "2",
                      "--no-tracemalloc", "--format", "json", "-q")
    assert result.code == 0, result
    late = {item["path"]: item for item in result.json()["late_imports"]}
    export = late["/reports/orders.csv"]
    assert "pandas" in export["top"] and len(export["modules"]) > 100
    assert export["rss_anon_bytes"] > 10 * 2**20        # pandas costs its first request
    assert export["time_ns"] > 0
    assert not any("pandas" in item["modules"] for path, item in late.items()
                   if path != "/reports/orders.csv")


def test_user_logs_in_for_the_views_behind_a_login(project):
    login = project.parent / "login-urls.txt"
    login.write_text("/admin/\n/health/\n")
    statuses = {}
    for user in ([], ["--user", "ada"]):
        result = requests(project, *user, "--urls", login, "--requests", "4", "--rounds", "2",
                          "--no-tracemalloc", "--format", "json", "-q")
        assert result.code == 0, result
        statuses[bool(user)] = {url["path"]: set(url["statuses"]) for url in result.json()["urls"]}
    assert statuses[False] == {"/admin/": {"302"}, "/health/": {"200"}}   # to the login page
    assert statuses[True] == {"/admin/": {"200"}, "/health/": {"200"}}    # ada is staff


def test_django_asgi_finds_the_same_leaks_and_holder(project):
    result = requests(project, "--asgi", "--urls", _urls(project), "--requests", "30",
                      "--rounds", "3", "--format", "json", "-q")
    assert result.code == 0, result
    document = result.json()
    assert document["interface"] == "asgi"
    assert {url["path"]: set(url["statuses"]) for url in document["urls"]} == {
        "/health/": {"200"}, "/reports/": {"200"}, "/reports/orders.csv": {"200"}}
    assert state(document, "reports.views.RECENT_EXPORTS")["verdict"] == "leak"
    kept = {item["type"]: item["holder"] for item in document["survivors"]}
    assert kept["django.core.handlers.asgi.ASGIRequest"] == (
        "shop.middleware.CurrentUserMiddleware.current_user")


def test_an_asgi_app_gets_lifespan_startup_before_and_shutdown_after_the_requests(tmp_path):
    log = tmp_path / "events.txt"
    (tmp_path / "asgi_app.py").write_text(
        f"LOG = {str(log)!r}\n"
        "SEEN = []\n"
        "async def application(scope, receive, send):\n"
        "    if scope['type'] == 'lifespan':\n"
        "        while True:\n"
        "            message = await receive()\n"
        "            open(LOG, 'a').write(message['type'] + '\\n')\n"
        "            if message['type'] == 'lifespan.startup':\n"
        "                await send({'type': 'lifespan.startup.complete'})\n"
        "            else:\n"
        "                await send({'type': 'lifespan.shutdown.complete'})\n"
        "                return\n"
        "    message = await receive()\n"
        "    SEEN.append(scope['path'])   # a leak of its own\n"
        "    open(LOG, 'a').write('http ' + scope['path'] + '\\n')\n"
        "    status = 404 if scope['path'] == '/missing' else 200\n"
        "    await send({'type': 'http.response.start', 'status': status, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': b'ok'})\n")
    (tmp_path / "urls.txt").write_text("/\n/missing\n")
    result = lazyaudit("requests", "--project", tmp_path, "--app", "asgi_app:application",
                       "--urls", tmp_path / "urls.txt", "--warmup", "1", "--requests", "4",
                       "--rounds", "2", "--format", "json", "-q")
    assert result.code == 0, result
    document = result.json()
    assert document["interface"] == "asgi"
    assert {url["path"]: url["statuses"] for url in document["urls"]} == {
        "/": {"200": 3}, "/missing": {"404": 3}}
    events = log.read_text().splitlines()
    # one process per run (RSS, then tracemalloc), each with its own lifespan
    assert events == (["lifespan.startup"] + ["http /", "http /missing"] * 3
                      + ["lifespan.shutdown"]) * 2
    assert state(document, "asgi_app.SEEN")["verdict"] == "leak"


def test_check_max_growth_per_request_fails_on_a_leak(tmp_path):
    (tmp_path / "leaky.py").write_text(
        "SEEN = []\n"
        "def application(environ, start_response):\n"
        "    SEEN.append(environ['PATH_INFO'] * 50)   # kept for ever\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'ok']\n")
    (tmp_path / "urls.txt").write_text("/a\n/b\n")
    result = lazyaudit("check", "--project", tmp_path, "--app", "leaky:application",
                       "--urls", tmp_path / "urls.txt", "--max-growth-per-request", "64",
                       "--format", "json", "-q")
    assert result.code == 1, result
    growth = result.json()["results"][0]
    assert growth["kind"] == "max-growth-per-request" and not growth["ok"]
    assert growth["measured_bytes"] > growth["allowed_bytes"] >= 64   # a string of 100 B
    assert "growing: leaky.SEEN (list, leak)" in growth["details"]
    assert any(detail.startswith("top sites: leaky.py:3 +") for detail in growth["details"])


def test_check_max_growth_per_request_takes_a_size(project):
    result = lazyaudit("check", "--project", project, "--max-growth-per-request", "lots")
    assert result.code == 2
    assert result.err.strip().startswith("lazyaudit: error: --max-growth-per-request: ")


def test_every_format_renders_the_document_read_back(document):
    from lazyaudit.model.requests import RequestsReport
    from lazyaudit.render import render

    report = RequestsReport.from_json(document)
    assert report.to_json() == document
    markdown = render("requests", "markdown", report)
    assert "## Grown state" in markdown
    assert "| reports.views.RECENT_EXPORTS" in markdown
    page = render("requests", "html", report)
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert page.count("<svg") == 3          # RSS, traced, the containers that grew
    assert "reports.summary.RevenueSummary._cache (leak)" in page


def test_list_urls_prints_the_requests_without_sending_them(project, tmp_path):
    urls = tmp_path / "more.json"
    urls.write_text(json.dumps([{"method": "POST", "path": "/uploads/new/"}]))
    result = requests(project, "--list-urls", "--urls", urls, "--walk", "--exclude-urls",
                      "^/admin/", "-q")
    assert result.code == 0, result
    assert result.out.splitlines() == ["POST /uploads/new/", "/health/", "/catalog/",
                                       "/catalog/feed.xml", "/reports/",
                                       "/reports/orders.csv", "/uploads/", "/uploads/new/"]


def test_lint_confirms_its_findings_whose_state_grew(document, project, tmp_path):
    # The same planted bugs, found statically by lint and measured here: matched by the
    # state's qualified name, never by line.
    report = tmp_path / "requests.json"
    report.write_text(json.dumps(document))
    result = lazyaudit("lint", "--project", project, "--requests-report", report,
                       "--format", "json")
    assert result.code == 1, result
    confirmed = {finding["state"]: finding for finding in result.json()["findings"]
                 if finding["confirmed"]}
    assert set(confirmed) == {"reports.views.RECENT_EXPORTS",
                              "reports.summary.RevenueSummary._cache"}, result.out
    for name, finding in confirmed.items():
        assert finding["items_per_request"] == pytest.approx(
            state(document, name)["items_per_request"])
