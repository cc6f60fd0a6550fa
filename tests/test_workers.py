"""`workers` on a migrated copy of the sample Django project: real gunicorn, uvicorn and
granian processes, real HTTP traffic over loopback, memory read from the kernel, and
every process checked by its pid to be gone afterwards."""

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import lazyaudit, seeded_sample_copy

pytestmark = [
    pytest.mark.xdist_group("workers"),   # servers and traffic: one at a time
    pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None,
                       reason="gunicorn is not installed (pip install -e '.[servers]')"),
]
SMALL = ("--requests", "100", "--rounds", "2", "-q")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the sample project with its database migrated and a few rows in it."""
    return seeded_sample_copy(tmp_path_factory.mktemp("workers"))


def workers(project: Path, *args):
    return lazyaudit("workers", "--project", project, "--python", sys.executable, *args)


def pids_of(document: dict) -> set[int]:
    return {process["pid"] for configuration in document["configurations"]
            for round_ in configuration["rounds"] for process in round_["processes"]}


def assert_all_gone(pids: set[int]) -> None:
    """No process the server ran is left (a zombie would show as state Z)."""
    left = []
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            left.append(pid)
    assert not left


def assert_every_worker_served(configuration: dict, count: int) -> None:
    last = configuration["rounds"][-1]
    served = [p["requests"] for p in last["processes"] if p["role"] == "worker"]
    assert len(served) == count
    assert all(number >= 1 for number in served), served
    assert not [w for w in configuration["warnings"] if "served no request" in w]


def test_gunicorn_sync_three_workers_per_round(project):
    result = workers(project, "--workers", "3", *SMALL, "--format", "json")
    assert result.code == 0, result
    document = result.json()
    [configuration] = document["configurations"]
    assert configuration["configuration"]["name"] == "gunicorn sync plain"
    rounds = configuration["rounds"]
    assert [round_["index"] for round_ in rounds] == [0, 1, 2]
    assert sum(round_["requests"] for round_ in rounds) == 100
    for round_ in rounds:
        roles = sorted(process["role"] for process in round_["processes"])
        assert roles == ["master", "worker", "worker", "worker"]
        for process in round_["processes"]:
            assert 0 < process["uss_bytes"] <= process["pss_bytes"] <= process["rss_bytes"]
            assert process["pss_anon_bytes"] + process["pss_file_bytes"] <= \
                process["pss_bytes"] + 1024 * 1024
        assert round_["totals"]["pss_bytes"] == sum(p["pss_bytes"]
                                                    for p in round_["processes"])
    served = sum(sum(r["statuses"].values()) for r in rounds)
    assert served == 100
    ok = sum(n for r in rounds for s, n in r["statuses"].items() if s in ("200", "302"))
    assert ok >= 90
    assert_every_worker_served(configuration, 3)
    # The first request imports the URLconf in each worker: pandas comes with it.
    assert any("pandas" in late["top"] for late in configuration["late_imports"])
    # Traffic makes the workers bigger than they were at ready.
    assert rounds[-1]["totals"]["pss_bytes"] > rounds[0]["totals"]["pss_bytes"]
    assert_all_gone(pids_of(document))
    assert "The app runs" not in result.err   # -q


def test_the_totals_equal_an_independent_reading_of_smaps(project):
    """smaps_rollup summed by lazyaudit against every mapping of /proc/PID/smaps summed
    here, over the server's process group at rest; then the server is stopped."""
    from lazyaudit.model.workers import Configuration
    from lazyaudit.target import resolve_target
    from lazyaudit.workers.memory import smaps_pss
    from lazyaudit.workers.run import _checkpoint
    from lazyaudit.workers.server import start

    target = resolve_target(project, python=sys.executable)
    configuration = Configuration("gunicorn", "sync", 2)
    scratch = project.parent / "scratch-smaps"
    scratch.mkdir()
    config = scratch / "config.py"
    config.write_text(repr({"state": str(scratch / "state"), "kind": "django",
                            "value": target.value, "asgi": False, "settings": None,
                            "warm_urls": False, "gc_freeze": False, "server_config": None}))
    server = start(target.python, project, configuration, scratch, config, 120)
    try:
        reading = _checkpoint(server, 0, 0, 0.0, {}, [])
        independent = sum(smaps_pss(pid) for pid in server.processes())
        pids = set(server.processes())
    finally:
        server.stop()
    assert len(pids) == 3
    assert abs(reading.total("pss") - independent) <= 0.02 * independent
    assert_all_gone(pids)


def test_compare_orders_the_configurations_as_measured_by_hand(project):
    result = workers(project, "--workers", "3", "--compare", *SMALL, "--format", "json",
                     "--no-tracemalloc")
    assert result.code == 0, result
    document = result.json()
    runs = {c["configuration"]["name"]: c for c in document["configurations"]}
    assert list(runs) == ["gunicorn sync plain", "gunicorn sync --preload",
                          "gunicorn sync --preload --gc-freeze",
                          "gunicorn sync --preload --warm-urls --gc-freeze"]
    for run in runs.values():
        assert len(run["rounds"]) == 3
        assert_every_worker_served(run, 3)

    def total(name, index, key="pss_bytes"):
        return runs[name]["rounds"][index]["totals"][key]

    assert total("gunicorn sync --preload", 0) < total("gunicorn sync plain", 0)
    warm = "gunicorn sync --preload --warm-urls --gc-freeze"
    assert all(total(warm, -1, "pss_anon_bytes") < total(name, -1, "pss_anon_bytes")
               for name in runs if name != warm)
    # The projection beside every configuration, and the advice with its diff.
    assert document["projection"]["workers"] == 3
    assert [c["configuration"] for c in document["comparisons"]] == list(runs)
    advice = document["advice"]
    assert advice["cheapest"] == warm and advice["saving"] > 0.2
    assert "+preload_app = True" in advice["diff"]
    assert "+    gc.freeze()" in advice["diff"]
    assert "b/shop/wsgi.py" in advice["diff"]
    assert "+get_resolver().url_patterns" in advice["diff"]
    assert_all_gone(pids_of(document))
    # The table says the same for people.
    table = workers(project, "--workers", "2", "--requests", "20", "--rounds", "1", "-q")
    assert table.code == 0, table
    assert "gunicorn sync plain, 2 workers" in table.out
    assert "total PSS MiB" in table.out


def test_after_fix_pandas_is_a_late_import_of_the_workers_that_served_the_export(
        project, tmp_path):
    fixed = tmp_path / "fixed"
    shutil.copytree(project, fixed)
    result = lazyaudit("fix", "--project", fixed, "--select", "pandas", "--python",
                       sys.executable)
    assert result.code == 0, result
    assert "import pandas" not in (fixed / "reports/views.py").read_text().split("def ")[0]
    urls = tmp_path / "urls.txt"
    urls.write_text("/health/\n/catalog/\n/reports/\n/reports/orders.csv\n")
    # Under a warm preload the master holds every view, but pandas, deferred, is loaded
    # again by each worker that serves the export: named as one to keep eager.
    result = workers(fixed, "--workers", "2", "--urls", urls, "--preload", "--warm-urls",
                     *SMALL, "--format", "json")
    assert result.code == 0, result
    [configuration] = result.json()["configurations"]
    assert_every_worker_served(configuration, 2)
    served_export = {late["pid"] for late in configuration["late_imports"]
                     if late["path"] == "/reports/orders.csv"}
    assert len(served_export) == 2      # ~25 exports over 2 workers
    assert "pandas" in configuration["loaded_again"]
    exports = [late for late in configuration["late_imports"]
               if late["path"] == "/reports/orders.csv" and "pandas" in late["top"]]
    assert exports
    assert all(late["anon_bytes"] > 10 * 1024 * 1024 for late in exports)
    # pandas is imported by nothing else: no other request loaded it.
    assert not [late for late in configuration["late_imports"]
                if late["path"] != "/reports/orders.csv" and "pandas" in late["top"]]


@pytest.mark.parametrize("args", [
    ("--server", "uvicorn", "--asgi"),
    ("--worker-class", "gthread", "--threads", "2"),
    ("--worker-class", "uvicorn", "--asgi"),
    ("--server", "granian", "--asgi"),
    ("--server", "granian"),
], ids=["uvicorn", "gunicorn-gthread", "gunicorn-uvicorn-worker", "granian-asgi",
        "granian-wsgi"])
def test_other_servers_measured_per_worker(project, args):
    needed = {"uvicorn": "uvicorn", "granian": "granian"}.get(args[1], "gunicorn")
    if importlib.util.find_spec(needed) is None:
        pytest.skip(f"{needed} is not installed")
    result = workers(project, "--workers", "2", *args, *SMALL, "--format", "json")
    assert result.code == 0, result
    document = result.json()
    [configuration] = document["configurations"]
    assert_every_worker_served(configuration, 2)
    assert configuration["configuration"]["interface"] == ("asgi" if "--asgi" in args
                                                           else "wsgi")
    ok = sum(n for r in configuration["rounds"] for s, n in r["statuses"].items()
             if s in ("200", "302"))
    # gunicorn 27's gthread worker drops a few connections that wait in its queue while
    # a thread imports the URLconf on a first request: counted as "error", not hidden.
    assert ok >= 80
    assert_all_gone(pids_of(document))


def test_list_urls_shows_the_get_requests_without_starting_a_server(project):
    result = workers(project, "--list-urls", "--exclude-urls", "^/admin/")
    assert result.code == 0, result
    paths = result.out.split()
    assert "/reports/orders.csv" in paths and "/health/" in paths
    assert not [path for path in paths if path.startswith("/admin/")]


@pytest.mark.parametrize("args, message", [
    (("--server", "uvicorn", "--preload"), "--preload applies to gunicorn only"),
    (("--server", "granian", "--compare"), "--compare applies to gunicorn only"),
    (("--warm-urls",), "--warm-urls imports the views in gunicorn's master: it needs "
                       "--preload"),
    (("--threads", "2"), "--threads applies to gunicorn's gthread worker class"),
])
def test_options_a_server_cannot_do_are_refused_in_one_line(project, args, message):
    result = workers(project, *args)
    assert result.code == 2, result
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"lazyaudit: error: {message}")


def test_a_server_missing_from_the_target_environment_names_the_install_command(tmp_path):
    bare = sorted(Path("/root/.pyenv/versions").glob("3.12.*/bin/python3.12"))
    if not bare:
        pytest.skip("no interpreter without gunicorn")
    (tmp_path / "app.py").write_text("def application(environ, start_response):\n"
                                     "    return []\n")
    (tmp_path / "urls.txt").write_text("/\n")
    result = lazyaudit("workers", "--project", tmp_path, "--python", bare[0], "--app",
                       "app:application", "--urls", tmp_path / "urls.txt", "-q")
    assert result.code == 2, result
    assert result.err.strip() == (f"lazyaudit: error: gunicorn is not installed in the "
                                  f"target's environment ({bare[0]}): {bare[0]} -m pip "
                                  "install gunicorn")


def test_a_server_that_fails_to_start_shows_its_output_and_exits_2(tmp_path):
    (tmp_path / "app.py").write_text("raise RuntimeError('no database here')\n")
    (tmp_path / "urls.txt").write_text("/\n")
    result = lazyaudit("workers", "--project", tmp_path, "--python", sys.executable,
                       "--app", "app:application", "--urls", tmp_path / "urls.txt",
                       "--workers", "2", "-q", "--timeout", "60")
    assert result.code == 2, result
    assert "RuntimeError: no database here" in result.err
    assert result.err.strip().splitlines()[-1].startswith("lazyaudit: error: gunicorn sync "
                                                          "plain ")
    assert "lazyaudit/cli.py" not in result.err     # the server's traceback, not ours


def test_no_worker_ready_in_time_exits_2_naming_it(tmp_path):
    (tmp_path / "app.py").write_text("import time\ntime.sleep(60)\n"
                                     "def application(environ, start_response):\n"
                                     "    return []\n")
    (tmp_path / "urls.txt").write_text("/\n")
    result = lazyaudit("workers", "--project", tmp_path, "--python", sys.executable,
                       "--app", "app:application", "--urls", tmp_path / "urls.txt",
                       "--workers", "2", "-q", "--timeout", "3")
    assert result.code == 2, result
    assert result.err.strip().splitlines()[-1] == (
        "lazyaudit: error: gunicorn sync plain: 0 of 2 workers ready after --timeout 3 s")
    # The sleeping workers were stopped with the master.
    left = subprocess.run(["pgrep", "-f", f"--project {tmp_path}"], capture_output=True)
    assert left.stdout == b""


def server_processes(project: Path) -> dict[int, Path]:
    """The processes serving lazyaudit's wrapper in `project`: pid -> scratch folder."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if Path(entry / "cwd").resolve() != project.resolve():
                continue
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for item in environ:
            if item.startswith(b"LAZYAUDIT_WORKERS_CONFIG="):
                found[int(entry.name)] = Path(item.split(b"=", 1)[1].decode()).parent
    return found


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["ctrl-c", "sigterm", "sigkill"])
def test_an_interrupted_run_stops_the_server_and_removes_its_folder(project, signal_number):
    command = [sys.executable, "-m", "lazyaudit", "workers", "--project", str(project),
               "--python", sys.executable, "--workers", "2", "--requests", "100000",
               "--rounds", "1", "-q"]
    # Ctrl-C as a terminal sends it: xdist's workers ignore SIGINT, and a child would
    # inherit that, so the child gets the default disposition back.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        running = {}
        while len(running) < 3 and time.monotonic() < deadline:   # the master, 2 workers
            time.sleep(0.2)
            running = server_processes(project)
        assert len(running) >= 3
        process.send_signal(signal_number)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode != 0
    if signal_number == signal.SIGKILL:
        # Nothing runs in a killed lazyaudit: the server's master learns of it from
        # the kernel and stops its workers; the temporary folder is left behind.
        deadline = time.monotonic() + 30
        while server_processes(project) and time.monotonic() < deadline:
            time.sleep(0.2)
        for folder in set(running.values()):
            shutil.rmtree(folder, ignore_errors=True)
    else:
        assert not any(folder.exists() for folder in running.values())
    assert_all_gone(set(running))


def test_the_users_gunicorn_config_runs_first_and_the_gc_hooks_after_it(project, tmp_path):
    """Their post_fork still runs in every worker; ours froze the master's objects before
    the fork and enabled the collector again in the worker."""
    configured = tmp_path / "configured"
    shutil.copytree(project, configured)
    marks = tmp_path / "marks"
    marks.mkdir()
    (configured / "gunicorn.conf.py").write_text(
        "import gc, os\n"
        "timeout = 90\n"
        "def post_fork(server, worker):\n"
        f"    with open(os.path.join({str(marks)!r}, str(os.getpid())), 'w') as f:\n"
        "        f.write(f'{gc.isenabled()} {gc.get_freeze_count()}')\n")
    result = workers(configured, "--workers", "2", "--preload", "--gc-freeze", "--requests",
                     "20", "--rounds", "1", "-q", "--format", "json")
    assert result.code == 0, result
    [configuration] = result.json()["configurations"]
    pids = {p["pid"] for p in configuration["rounds"][0]["processes"] if p["role"] == "worker"}
    assert {int(path.name) for path in marks.iterdir()} == pids
    for path in marks.iterdir():
        enabled, frozen = path.read_text().split()
        assert enabled == "True" and int(frozen) > 10000


def test_check_holds_the_measured_workers_to_limits(project):
    result = lazyaudit("check", "--project", project, "--python", sys.executable,
                       "--workers", "2", "--server", "gunicorn", "--max-worker-uss", "10MiB",
                       "--max-total-pss", "2GiB", "--format", "json", "-q")
    assert result.code == 1, result
    results = {r["check"]: r for r in result.json()["results"]}
    assert not results["max-worker-uss"]["ok"]
    assert results["max-worker-uss"]["measured_bytes"] > 10 * 1024 * 1024
    assert results["max-total-pss"]["ok"]
    assert results["max-total-pss"]["measured_bytes"] > results["max-worker-uss"][
        "measured_bytes"]


def test_a_measured_limit_without_server_is_refused(project):
    result = lazyaudit("check", "--project", project, "--max-total-pss", "1GiB")
    assert result.code == 2, result
    assert result.err.strip() == ("lazyaudit: error: --max-total-pss is a limit on real "
                                  "workers: give --server too")


def test_user_sends_the_requests_logged_in(project):
    subprocess.run([sys.executable, "manage.py", "createsuperuser", "--noinput", "--username",
                    "editor", "--email", "editor@example.com"], cwd=project, check=True,
                   capture_output=True, env={**os.environ,
                                             "DJANGO_SUPERUSER_PASSWORD": "not-used-1234"})
    urls = project.parent / "admin-urls.txt"
    urls.write_text("/admin/\n/admin/catalog/product/\n")

    def statuses(*args):
        result = workers(project, "--workers", "2", "--urls", urls, "--requests", "20",
                         "--rounds", "1", "-q", "--format", "json", *args)
        assert result.code == 0, result
        return result.json()["configurations"][0]["rounds"][1]["statuses"]

    assert statuses() == {"302": 20}                 # to the login page
    assert statuses("--user", "editor") == {"200": 20}
    unknown = workers(project, "--user", "nobody", "--list-urls")
    assert unknown.code == 2
    assert unknown.err.strip() == ("lazyaudit: error: --user nobody: no user 'nobody' in the "
                                   "database of shop.settings")


def test_respawned_workers_and_failing_requests_are_said(project, tmp_path):
    """gunicorn's max_requests (from --server-config) recycles the workers during the
    traffic: each round names the workers started and ended. Requests to a missing
    page are counted by status, and a run where most fail says so."""
    config = tmp_path / "recycle.conf.py"
    config.write_text("max_requests = 10\n")
    urls = tmp_path / "urls.txt"
    urls.write_text("/no-such-page/\n/health/\n/no-such-page-either/\n")
    result = workers(project, "--workers", "2", "--server-config", config, "--urls", urls,
                     "--requests", "60", "--rounds", "2", "-q", "--format", "json")
    assert result.code == 0, result
    [configuration] = result.json()["configurations"]
    rounds = configuration["rounds"]
    assert sum(len(r["started"]) for r in rounds[1:]) >= 2
    assert sum(len(r["ended"]) for r in rounds[1:]) >= 2
    for before, after in zip(rounds, rounds[1:]):
        pids = {p["pid"] for p in after["processes"] if p["role"] == "worker"}
        earlier = {p["pid"] for p in before["processes"] if p["role"] == "worker"}
        assert set(after["started"]) == pids - earlier
        assert set(after["ended"]) == earlier - pids
    statuses = {}
    for r in rounds:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    assert statuses == {"200": 20, "404": 40}
    warnings = " ".join(configuration["warnings"])
    assert "MOST REQUESTS FAILED: 40 of 60" in warnings
    assert "started during the traffic" in warnings


def test_settings_picks_the_settings_module_the_server_runs_with(project, tmp_path):
    scratch_db = tmp_path / "scratch.sqlite3"
    (project / "shop" / "settings_scratch.py").write_text(
        "from .settings import *  # noqa: F401,F403\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.sqlite3', "
        f"'NAME': {str(scratch_db)!r}}}}}\n")
    urls = tmp_path / "urls.txt"
    urls.write_text("/health/\n")
    result = workers(project, "--workers", "2", "--settings", "shop.settings_scratch",
                     "--urls", urls, "--requests", "10", "--rounds", "1", "--format", "json")
    assert result.code == 0, result
    assert "(shop.settings_scratch)" in result.err     # said before the server starts
    assert scratch_db.exists()                         # /health/ connected to it
    statuses = result.json()["configurations"][0]["rounds"][1]["statuses"]
    assert statuses == {"200": 10}
