"""Fixtures of the corpus tests: the real projects of projects.py, installed by install.py.

These tests run only when their path is named (`make test-slow`); tests/conftest.py keeps them
out of the quick suite. Each test writes what lazyaudit printed into the results folder
($LAZYAUDIT_REALWORLD_RESULTS, else .cache/realworld/results/), which
scripts/realworld_doc.py turns into docs/realworld.md. Nothing there is read back by a test.
"""

import os
from pathlib import Path

import pytest

from projects import CACHE, FLAKY, KNOWN_FAILURES, PROJECTS, Project
from install import fingerprint


def _install_problem(project: Project) -> str | None:
    if not project.stamp.exists() or not project.python.exists():
        return f"{project.name} is not installed: run `make realworld`"
    if project.stamp.read_text().strip() != fingerprint(project):
        return f"{project.name} is installed from an older recipe: run `make realworld`"
    return None


def pytest_generate_tests(metafunc):
    """Every test that takes `project` runs once per project of the corpus."""
    if "project" in metafunc.fixturenames:
        metafunc.parametrize("project", PROJECTS, ids=[p.name for p in PROJECTS],
                             indirect=True)


@pytest.fixture
def project(request) -> Project:
    problem = _install_problem(request.param)
    if problem:
        pytest.skip(problem)
    return request.param


@pytest.fixture
def expect_known_failure(request, project):
    reason = KNOWN_FAILURES.get((project.name, request.node.originalname))
    if reason:
        request.node.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    flaky = FLAKY.get((project.name, request.node.originalname))
    if flaky:
        request.node.add_marker(pytest.mark.xfail(reason=flaky, strict=False))


@pytest.fixture(scope="session")
def results_dir() -> Path:
    path = Path(os.environ.get("LAZYAUDIT_REALWORLD_RESULTS") or CACHE / "results")
    path.mkdir(parents=True, exist_ok=True)
    return path
