"""The probe measures without being seen: an app's view of the import system is the
same with and without it, on every Python the probe supports.

tests/invisible/checks.py records what an app can see (tracebacks of failed
imports, the import functions, sys.meta_path, reload, namespace packages,
LazyLoader, a custom finder, warnings' stack levels); it runs once as a plain
script and once as a `measure --script` target, and both records must match.
"""

import glob
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, lazyaudit

CHECKS = Path(__file__).parent / "invisible"


def interpreters():
    found = []
    for minor in range(9, 14):
        paths = sorted(glob.glob(f"/root/.pyenv/versions/3.{minor}.*/bin/python3.{minor}"))
        found.append(pytest.param(paths[0] if paths else None, id=f"3.{minor}"))
    python315 = ROOT / ".cache" / "python3.15" / "venv" / "bin" / "python"
    found.append(pytest.param(str(python315) if python315.exists() else None, id="3.15"))
    return found


@pytest.fixture(params=interpreters())
def python(request):
    if request.param is None:
        pytest.skip(f"Python {request.node.callspec.id} is not installed")
    return request.param


def run_checks_plainly(python: str, project: Path) -> dict:
    subprocess.run([python, "checks.py"], cwd=project, check=True, capture_output=True,
                   timeout=120)
    return json.loads((project / "checks-output.json").read_text())


def run_checks_under_probe(python: str, project: Path) -> tuple[dict, dict]:
    result = lazyaudit("measure", "--script", "checks.py", "--project", project,
                       "--python", python, "--no-tracemalloc", "--no-rank", "--format", "json")
    assert result.code == 0, result
    return json.loads((project / "checks-output.json").read_text()), result.json()


def test_the_app_sees_the_same_import_system_with_and_without_the_probe(python, tmp_path):
    plain_dir, probed_dir = tmp_path / "app", tmp_path / "app-probed"
    # The same path in both runs: tracebacks name the files.
    shutil.copytree(CHECKS, plain_dir)
    plain = run_checks_plainly(python, plain_dir)
    plain_dir.rename(probed_dir)
    shutil.copytree(CHECKS, plain_dir)
    shutil.rmtree(probed_dir)
    probed, report = run_checks_under_probe(python, plain_dir)

    assert probed == plain
    # The checks check something: failures are there, with their frames.
    assert plain["import missing"]["type"] == "ModuleNotFoundError"
    assert plain["oscar-style missing"] == 1                 # what django-oscar relies on
    assert plain["oscar-style broken import inside"] == 2
    assert len(plain["import missing"]["frames"]) == 2       # failure() and import_missing()
    assert plain["import raising"]["frames"][-1][0].endswith("raising.py")
    assert plain["__import__"][2] is True
    assert plain["warning site"][0][0].endswith("checks.py")
    assert plain["reload"] == [True, 2, True]
    assert plain["LazyLoader"] == [False, "lazy", "module"]
    assert plain["custom finder"][0] == 42
    # ... and the probe measured the run.
    loaded = {module["name"] for module in report["modules"]}
    assert {"counter", "nspkg", "nspkg.member", "warns", "virtual_fine", "pkg"} <= loaded


@pytest.mark.parametrize("kind", ["-m", "--script"])
def test_a_module_named_like_the_probes_files_is_the_apps_own(tmp_path, kind):
    """The probe's folder must not be on the target's import path: the app's own
    probe.py (or any name the probe's folder holds) is what the app imports."""
    probe_dir = ROOT / "lazyaudit" / "probe"
    names = sorted(path.stem for path in probe_dir.glob("*.py") if path.stem != "__init__")
    assert "probe" in names
    for name in names:
        (tmp_path / f"{name}.py").write_text("OWN = True\n")
    (tmp_path / "app_main.py").write_text(
        "".join(f"import {name}\nassert {name}.OWN, {name}.__file__\n" for name in names))
    target = "app_main" if kind == "-m" else "app_main.py"
    result = lazyaudit("measure", kind, target, "--project", tmp_path, "--no-tracemalloc",
                       "--no-rank", "--format", "json")
    assert result.code == 0, result
    modules = {module["name"]: module for module in result.json()["modules"]}
    for name in names:
        assert modules[name]["file"] == str(tmp_path / f"{name}.py")
