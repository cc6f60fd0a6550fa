import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lazyaudit_cli import Result, lazyaudit  # noqa: F401  (the tests import them from here)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_project"


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


REALWORLD = ROOT / "tests" / "realworld"


def pytest_ignore_collect(collection_path, config):
    """The corpus of real projects is slow: it runs only when its path is named
    (`make test-slow`), never as part of the quick suite."""
    if collection_path != REALWORLD:
        return None
    asked = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    return not any(path == REALWORLD or REALWORLD in path.parents for path in asked)


def seeded_sample_copy(folder: Path, more_seed: str = "") -> Path:
    """A copy of the sample project in `folder`, its database migrated and a few rows
    in it (and whatever the Python of `more_seed` makes)."""
    copy = folder / "sample_project"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    seed = ("from catalog.models import Product\n"
            "from reports.models import Order\n"
            "for i in range(5):\n"
            "    Product.objects.create(sku=f's{i}', name=f'p{i}', price=i + 1)\n"
            "    Order.objects.create(customer=f'c{i}', total=i + 1)\n") + more_seed
    for args in (["migrate", "-v0"], ["shell", "-c", seed]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=copy, check=True,
                       capture_output=True, timeout=300)
    return copy
