import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_project"


class Result:
    def __init__(self, completed: subprocess.CompletedProcess):
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}>\nstdout:\n{self.out}\nstderr:\n{self.err}"


def lazyaudit(*args, cwd=None, env=None, timeout=600) -> Result:
    """Run the real command line in a subprocess, as a user would."""
    completed = subprocess.run(
        [sys.executable, "-m", "lazyaudit", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Result(completed)


@pytest.fixture(scope="session", autouse=True)
def statements_cache(tmp_path_factory):
    """The source-edges cache of the runs under test, not the user's."""
    os.environ["LAZYAUDIT_CACHE_DIR"] = str(tmp_path_factory.mktemp("lazyaudit-cache"))


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory):
    """One measured boot of the sample project, shared by the tests that read it."""
    path = tmp_path_factory.mktemp("sample") / "report.json"
    result = lazyaudit("measure", "--project", SAMPLE, "--format", "json", "--output", path)
    assert result.code == 0, result
    return json.loads(path.read_text())


def rss_added_by_import(module: str, python: str = sys.executable) -> int:
    """Ground truth: what `import module` adds to a bare interpreter's RSS."""
    code = (
        "import os\n"
        "def rss():\n"
        "    fields = open('/proc/self/statm').read().split()\n"
        "    return int(fields[1]) * os.sysconf('SC_PAGE_SIZE')\n"
        f"before = rss()\nimport {module}\nprint(rss() - before)\n"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True,
                         cwd="/")
    return int(out.stdout)
