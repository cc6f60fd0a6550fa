"""Real libraries, judged by their own test suites: `fix --select` of every module a
library imports at module level, on a fresh copy of its sdist, must rewrite something
and make no test that passed before fail after. scripts/get-libraries.sh fetches the
pinned sdists and a virtualenv of each one's test dependencies under .cache/libraries.
The counts are in docs/realworld-libraries.md.
"""

import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conftest import ROOT, lazyaudit
from lazyaudit.analysis.sources import scan_tree

LIBRARIES = ROOT / ".cache/libraries"
# (name, version, the package folder inside the sdist)
CASES = [("click", "8.5.1", "src/click"), ("requests", "2.32.3", "src/requests")]


@pytest.fixture(scope="session")
def libraries():
    run = subprocess.run(["bash", "scripts/get-libraries.sh", str(LIBRARIES)], cwd=ROOT,
                         capture_output=True, text=True, timeout=1800)
    if run.returncode:
        pytest.skip(f"the libraries could not be fetched from PyPI: {run.stderr[-300:]}")
    return LIBRARIES


def module_level_imports(package: Path) -> list[str]:
    """Every module the package's own files import at module level."""
    tree = scan_tree(package.parent)
    return sorted({module for usage in tree.files for statement in usage.statements
                   if not statement.function and not statement.future
                   for module in statement.modules if module})


def metadata(folder: Path, name: str, version: str) -> Path:
    """Installed-distribution metadata for the copy on the path (click asks for its
    own version), without installing it."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\n"
                                   f"Version: {version}\n")
    return folder


def outcomes(library: Path, venv: Path, meta: Path, run: str) -> dict[str, str]:
    """{test id: passed | failed | skipped} of the library's own suite on this copy."""
    report = library.parent / f"{run}.xml"
    subprocess.run([str(venv / "bin/python"), "-B", "-m", "pytest", "-q", "-p",
                    "no:cacheprovider", f"--junitxml={report}",
                    "tests"], cwd=library, capture_output=True, text=True, timeout=1800,
                   env={"PYTHONPATH": f"{library / 'src'}:{meta}", "PATH": "/usr/bin:/bin",
                        "HOME": str(library.parent)})
    results = {}
    for case in ElementTree.parse(report).iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        results[test] = ("failed" if kinds & {"failure", "error"}
                         else "skipped" if "skipped" in kinds else "passed")
    return results


@pytest.mark.parametrize("name, version, package", CASES, ids=[case[0] for case in CASES])
def test_fix_select_keeps_the_library_suite_passing(libraries, tmp_path, name, version,
                                                     package):
    copy = tmp_path / name
    shutil.copytree(libraries / f"{name}-{version}", copy)
    venv = libraries / f"{name}-{version}-venv"
    meta = metadata(tmp_path / "meta", name, version)
    before = outcomes(copy, venv, meta, "before")
    assert sum(outcome == "passed" for outcome in before.values()) > 50, before

    selected = module_level_imports(copy / package)
    result = lazyaudit("fix", "--select", ",".join(selected), "--project", copy,
                       copy / package, "--format", "json", timeout=600)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    changes = result.json()["changes"]
    print(f"{name} {version}: {len(changes)} import sites rewritten in "
          f"{len(result.json()['files'])} files; {len(selected)} modules selected")
    assert changes, "nothing was rewritten: the run proves nothing"

    after = outcomes(copy, venv, meta, "after")
    broken = sorted(test for test, outcome in before.items()
                    if outcome == "passed" and after.get(test) != "passed")
    assert not broken, f"{len(broken)} tests broke: {broken[:10]}\n{result.out[:3000]}"
