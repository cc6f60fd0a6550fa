"""Bad input gets one clear line and exit code 2, and the target's own traceback."""

import json
import textwrap
from pathlib import Path

import pytest

from conftest import lazyaudit


def django_project(root: Path, settings_body: str = "", urls: str = "urlpatterns = []\n"):
    (root / "site_cfg").mkdir(parents=True)
    (root / "manage.py").write_text(
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_cfg.settings")\n')
    (root / "site_cfg" / "__init__.py").write_text("")
    (root / "site_cfg" / "settings.py").write_text(textwrap.dedent("""\
        SECRET_KEY = "x"
        INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
        ROOT_URLCONF = "site_cfg.urls"
        DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
        """) + settings_body)
    (root / "site_cfg" / "urls.py").write_text(urls)
    return root


def assert_one_line_error(result, *fragments):
    assert result.code == 2, result
    last = result.err.strip().splitlines()[-1]
    assert last.startswith("lazyaudit: error: "), result
    for fragment in fragments:
        assert fragment in last, result
    assert "lazyaudit/cli.py" not in result.err   # never a traceback of lazyaudit itself


def test_target_that_raises_shows_its_own_traceback(tmp_path):
    django_project(tmp_path, urls="import site_cfg.broken\nurlpatterns = []\n")
    (tmp_path / "site_cfg" / "broken.py").write_text(
        "def load():\n    raise RuntimeError('no config for payments')\n\nload()\n")
    result = lazyaudit("measure", "--project", tmp_path)
    assert_one_line_error(result, "failed to boot", "RuntimeError: no config for payments")
    assert "Traceback (most recent call last)" in result.err
    assert 'site_cfg/broken.py", line 4' in result.err
    assert "probe.py" not in result.err


def test_unknown_settings_module(tmp_path):
    django_project(tmp_path)
    result = lazyaudit("measure", "--project", tmp_path, "--django", "nowhere.settings")
    assert_one_line_error(result, "settings module 'nowhere.settings' cannot be imported")
    assert "Traceback" not in result.err


def test_directory_without_a_project(tmp_path):
    result = lazyaudit("measure", "--project", tmp_path)
    assert_one_line_error(result, "no Django project in", "manage.py")


def test_missing_project_directory(tmp_path):
    result = lazyaudit("measure", "--project", tmp_path / "nope")
    assert result.code == 2
    assert "does not exist" in result.err


def test_missing_python(tmp_path):
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path,
                       "--python", tmp_path / "bin" / "python9")
    assert_one_line_error(result, "--python", "no such interpreter")


def test_two_targets_at_once(tmp_path):
    result = lazyaudit("measure", "-m", "json", "--script", "x.py", "--project", tmp_path)
    assert_one_line_error(result, "choose one target")


def test_script_exit_code_is_a_boot_failure(tmp_path):
    (tmp_path / "tool.py").write_text("import sys\nsys.exit(3)\n")
    result = lazyaudit("measure", "--script", "tool.py", "--project", tmp_path)
    assert_one_line_error(result, "target exited with 3")


def test_broken_pyproject(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.lazyaudit\n")
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path)
    assert_one_line_error(result, "is not valid TOML")


def test_pyproject_whose_tool_is_not_a_table(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 3\n")
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path)
    assert_one_line_error(result, "`tool` must be a table")
    (tmp_path / "pyproject.toml").write_text('[tool]\nlazyaudit = "fast"\n')
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path)
    assert_one_line_error(result, "[tool.lazyaudit] must be a table")


def test_bad_config_value(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.lazyaudit]\ntop = "many"\n')
    result = lazyaudit("measure", "-m", "json", "--project", tmp_path)
    assert_one_line_error(result, "[tool.lazyaudit] top")


def test_unreadable_or_foreign_report(tmp_path):
    result = lazyaudit("why", "json", "--report", tmp_path / "missing.json")
    assert_one_line_error(result, "cannot read report")
    (tmp_path / "other.json").write_text(json.dumps({"schema": 99}))
    result = lazyaudit("report", tmp_path / "other.json")
    assert_one_line_error(result, "unsupported report schema 99")
    (tmp_path / "garbage.json").write_text("{not json")
    result = lazyaudit("report", tmp_path / "garbage.json")
    assert_one_line_error(result, "is not a JSON report")


def test_why_for_a_module_not_loaded(tmp_path):
    result = lazyaudit("why", "tarfile", "-m", "json", "--project", tmp_path,
                       "--no-tracemalloc")
    assert result.code == 1
    assert "tarfile is not loaded at startup" in result.out


@pytest.mark.parametrize("args, message", [
    (["lint", "--bogus"], "No such option '--bogus'. (see: "),
    (["rank", "--format", "bogus"], "Invalid value for '--format': 'bogus'"),
    (["measure", "--project", "pyproject.toml"], "Directory 'pyproject.toml' is a file."),
    (["nosuch"], "No such command 'nosuch'."),
])
def test_a_bad_option_is_one_line_too(args, message):
    result = lazyaudit(*args)
    assert_one_line_error(result, message)
    assert len(result.err.strip().splitlines()) == 1, result
