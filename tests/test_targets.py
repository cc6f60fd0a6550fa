"""Every kind of target boots in a fresh interpreter and is measured."""

import sys
import textwrap
from pathlib import Path

import pytest

from conftest import lazyaudit

PY39 = Path("/root/.pyenv/versions/3.9.18/bin/python")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def names(report):
    return {module["name"] for module in report["modules"]}


def test_module_target_records_every_load_with_parent_and_edges(tmp_path):
    write(tmp_path / "app_pkg" / "__init__.py", "from . import helpers\nimport json\n")
    write(tmp_path / "app_pkg" / "helpers.py", """\
        import importlib
        import decimal
        csv = importlib.import_module("csv")
        import json  # loaded already by the package: still an edge
        """)
    result = lazyaudit("measure", "-m", "app_pkg", "--project", tmp_path, "--format", "json")
    assert result.code == 0, result
    report = result.json()
    modules = {module["name"]: module for module in report["modules"]}
    assert {"app_pkg", "app_pkg.helpers", "decimal", "csv", "json"} <= set(modules)
    assert modules["app_pkg"]["kind"] == "first-party"
    assert modules["app_pkg"]["parent"] is None
    assert modules["app_pkg.helpers"]["parent"] == "app_pkg"
    assert modules["decimal"]["parent"] == "app_pkg.helpers"
    assert modules["decimal"]["kind"] == "stdlib"
    assert modules["csv"]["parent"] == "app_pkg.helpers"           # importlib.import_module
    assert modules["csv"]["import_site"]["line"] == 3
    assert modules["app_pkg.helpers"]["import_site"]["file"].endswith("app_pkg/__init__.py")
    edges = {tuple(edge) for edge in report["edges"]}
    assert ("app_pkg.helpers", "json") in edges                    # already loaded
    assert ("app_pkg", "json") in edges
    assert ("app_pkg", "app_pkg.helpers") in edges
    assert all(module["stage"] == "import" for module in report["modules"])
    # self is what is left of cumulative once the children are taken away
    package = modules["app_pkg"]
    children = [m for m in report["modules"] if m["parent"] == "app_pkg"]
    for key in ("time_ns", "rss_anon_bytes", "tracemalloc_bytes"):
        assert package["self"][key] == package["cumulative"][key] - sum(
            child["cumulative"][key] for child in children)
    assert report["totals"]["modules"] == len(report["modules"])


@pytest.mark.parametrize("python", [
    pytest.param(sys.executable, id="this-python"),
    pytest.param(str(PY39), id="3.9", marks=pytest.mark.skipif(
        not PY39.exists(), reason="Python 3.9 is not installed at " + str(PY39)))])
def test_edges_to_modules_loaded_already_are_the_ones_that_ran(tmp_path, python):
    """No hook runs for a module loaded already: the module-level statements come
    from the source, import_module calls from the probe; code that did not run at
    import time (functions, TYPE_CHECKING, __main__ blocks) gives no edge."""
    write(tmp_path / "app_pkg" / "__init__.py", """\
        import colorsys, decimal, fractions, statistics, textwrap
        from . import helpers
        """)
    write(tmp_path / "app_pkg" / "helpers.py", """\
        import importlib
        from typing import TYPE_CHECKING
        import decimal
        if TYPE_CHECKING:
            import fractions
        def later():
            import statistics
        if __name__ == "__main__":
            import textwrap
        loaded_already = importlib.import_module("color" + "sys")
        """)
    result = lazyaudit("measure", "-m", "app_pkg", "--project", tmp_path, "--python", python,
                       "--format", "json", "--no-tracemalloc", "--no-rank")
    assert result.code == 0, result
    report = result.json()
    sites = {(site["importer"], site["imported"]): site["line"] for site in report["edge_sites"]}
    assert sites[("app_pkg.helpers", "decimal")] == 3
    assert sites[("app_pkg.helpers", "colorsys")] == 10      # import_module, seen by the probe
    assert sites[("app_pkg.helpers", "importlib")] == 1       # loaded before the boot
    for never_ran in ("fractions", "statistics", "textwrap"):
        assert ("app_pkg", never_ran) in sites
        assert ("app_pkg.helpers", never_ran) not in sites


def test_extension_module_create_step_is_counted(tmp_path):
    result = lazyaudit("measure", "-m", "_decimal", "--project", tmp_path, "--format", "json",
                       "--no-tracemalloc")
    assert result.code == 0, result
    decimal = {m["name"]: m for m in result.json()["modules"]}["_decimal"]
    assert decimal["file"].endswith(".so")
    assert decimal["cumulative"]["time_ns"] > 0
    assert decimal["cumulative"]["rss_anon_bytes"] + decimal["cumulative"]["rss_file_bytes"] > 0


def test_wsgi_app_target(tmp_path):
    write(tmp_path / "web.py", """\
        import email.message

        def application(environ, start_response):
            start_response("200 OK", [])
            return [b"ok"]
        """)
    result = lazyaudit("measure", "--app", "web:application", "--project", tmp_path,
                       "--format", "json", "--no-tracemalloc")
    assert result.code == 0, result
    assert {"web", "email.message"} <= names(result.json())
    assert result.json()["target"] == "app:web:application"


def test_app_target_must_be_callable(tmp_path):
    write(tmp_path / "web.py", "application = 42\n")
    result = lazyaudit("measure", "--app", "web", "--project", tmp_path)
    assert result.code == 2
    assert "not callable" in result.err


def test_script_target_runs_as_main(tmp_path):
    write(tmp_path / "bin" / "tool.py", """\
        import sys
        import helper_next_to_script
        if __name__ == "__main__":
            import tarfile
        """)
    write(tmp_path / "bin" / "helper_next_to_script.py", "import zipfile\n")
    result = lazyaudit("measure", "--script", "bin/tool.py", "--project", tmp_path,
                       "--format", "json", "--no-tracemalloc")
    assert result.code == 0, result
    report = result.json()
    assert {"helper_next_to_script", "zipfile", "tarfile"} <= names(report)
    assert {m["stage"] for m in report["modules"]} == {"run"}


def test_a_thread_the_target_leaves_running_does_not_hold_the_probe(tmp_path):
    # A worker thread that never ends (not a daemon): a normal interpreter exit
    # would wait for it until the timeout.
    write(tmp_path / "poller.py", """\
        import threading
        threading.Thread(target=threading.Event().wait, name="poller").start()
        """)
    result = lazyaudit("measure", "-m", "poller", "--project", tmp_path, "--format", "json",
                       "--timeout", "60")
    assert result.code == 0, result
    assert {"poller", "threading"} <= names(result.json())


@pytest.mark.skipif(not PY39.exists(), reason="Python 3.9 is not installed at " + str(PY39))
def test_probe_runs_on_python_39(tmp_path):
    result = lazyaudit("measure", "-m", "decimal", "--python", PY39, "--project", tmp_path,
                       "--format", "json")
    assert result.code == 0, result
    report = result.json()
    assert report["python"].startswith("3.9.")
    decimal = {m["name"]: m for m in report["modules"]}["decimal"]
    assert decimal["kind"] == "stdlib"
    assert decimal["cumulative"]["tracemalloc_bytes"] > 0


def test_options_come_from_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [tool.lazyaudit]
        module = "configured"
        no-tracemalloc = true
        top = 1
        """)
    write(tmp_path / "configured.py", "import decimal\n")
    result = lazyaudit("measure", "--project", tmp_path)
    assert result.code == 0, result
    assert "module:configured" in result.out
    assert "tracemalloc saw" not in result.out
    module_table = result.out.split("Imports in the project's code")[0]
    table_rows = [line for line in module_table.splitlines()
                  if line.startswith(("configured", "decimal"))]
    assert len(table_rows) == 1


def test_command_line_beats_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lazyaudit]\nmodule = "missing_module"\n')
    write(tmp_path / "present.py", "")
    result = lazyaudit("measure", "--project", tmp_path, "-m", "present", "--no-tracemalloc")
    assert result.code == 0, result


def test_python_of_another_interpreter_is_reported(tmp_path):
    result = lazyaudit("measure", "-m", "json", "--python", sys.executable, "--project",
                       tmp_path, "--format", "json", "--no-tracemalloc")
    assert result.code == 0, result
    assert result.json()["python"] == "%d.%d.%d" % sys.version_info[:3]


PY315 = Path(__file__).resolve().parent.parent / ".cache" / "python3.15" / "venv" / "bin" / "python"


@pytest.mark.skipif(not PY315.exists(),
                    reason=f"Python 3.15 not at {PY315} (`make py315` could not install it)")
def test_probe_and_native_deferral_on_python_315(tmp_path):
    write(tmp_path / "site_app.py", """\
        import colorsys
        import decimal

        def convert(r, g, b):
            return colorsys.rgb_to_hsv(r, g, b)
        """)
    plain = lazyaudit("measure", "-m", "site_app", "--python", PY315, "--project", tmp_path,
                      "--format", "json", "--no-tracemalloc")
    assert plain.code == 0, plain
    assert plain.json()["python"].startswith("3.15.")
    assert {"colorsys", "decimal"} <= names(plain.json())
    deferred = lazyaudit("measure", "-m", "site_app", "--python", PY315, "--project", tmp_path,
                         "--defer", "colorsys", "--format", "json", "--no-tracemalloc")
    assert deferred.code == 0, deferred
    what_if = deferred.json()["what_if"]
    assert what_if["still_loaded"] == []
    assert what_if["sites"][0]["module"] == "colorsys"


def test_unknown_config_key_is_an_error(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lazyaudit]\nno-tracemaloc = true\n')
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path)
    assert result.code == 2
    assert "unknown key 'no_tracemaloc'" in result.err


def test_config_python_path_is_relative_to_the_project(tmp_path):
    project = tmp_path / "shop"
    write(project / "pyproject.toml", '[tool.lazyaudit]\npython = "venv/bin/python"\n')
    write(project / "app.py", "")
    (project / "venv" / "bin").mkdir(parents=True)
    (project / "venv" / "bin" / "python").symlink_to(sys.executable)
    result = lazyaudit("measure", "-m", "app", "--project", "shop", "--format", "json",
                       "--no-tracemalloc", cwd=tmp_path)
    assert result.code == 0, result


def test_import_module_edges_are_seen_when_importlib_loads_late(tmp_path):
    write(tmp_path / "entry.py", "import json\nimport plugin\n")
    write(tmp_path / "plugin.py", "import importlib\nimportlib.import_module('json')\n")
    result = lazyaudit("measure", "-m", "entry", "--project", tmp_path, "--format", "json",
                       "--no-tracemalloc", "--python", PY39 if PY39.exists() else sys.executable)
    assert result.code == 0, result
    assert ["plugin", "json"] in result.json()["edges"]


def test_rank_with_nothing_of_the_project_loaded(tmp_path):
    result = lazyaudit("rank", "-m", "json", "--project", tmp_path, "--no-tracemalloc")
    assert result.code == 0, result
    assert "no first-party import" in result.out
