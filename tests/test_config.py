"""[tool.lazyaudit] is found as ruff and pytest find theirs, and every mistake in it is one
clear line with exit code 2."""

import pytest

from conftest import lazyaudit
from test_errors import assert_one_line_error
from test_targets import write


def test_config_is_found_in_a_folder_above_the_project(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lazyaudit]\nmodule = "app"\nno-rank = true\n')
    write(tmp_path / "src" / "app.py", "import colorsys\n")
    result = lazyaudit("measure", "--project", tmp_path / "src", "--format", "json",
                       "--no-tracemalloc")
    assert result.code == 0, result
    report = result.json()
    assert report["target"] == "module:app" and "candidates" not in report


def test_the_nearest_config_wins_and_the_search_stops_at_the_repository(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lazyaudit]\nmodule = "outer"\n')
    write(tmp_path / "repo" / ".git" / "HEAD", "ref: refs/heads/main\n")
    write(tmp_path / "repo" / "app" / "pyproject.toml", "[project]\nname = 'app'\n")
    write(tmp_path / "repo" / "app" / "app.py", "")
    result = lazyaudit("measure", "--project", tmp_path / "repo" / "app")
    assert_one_line_error(result, "no Django project in")   # the outer file was not read
    write(tmp_path / "repo" / "pyproject.toml", '[tool.lazyaudit]\nmodule = "app"\n')
    result = lazyaudit("measure", "--project", tmp_path / "repo" / "app", "--no-tracemalloc")
    assert result.code == 0, result


@pytest.mark.parametrize("entry,message", [
    ("check = 0", "check: must be true or false, not 0"),
    ('select = ["json", 5]', "select: must be a list of names"),
    ("exclude = [1, 2]", "exclude: must be a list of strings"),
    ("target-version = 3.10", "target-version: must be a string, not the number 3.1"),
    ('target-version = "3.x"', "target-version: not a Python version: '3.x'"),
    ("repeat = true", "repeat: must be a number"),
])
def test_a_value_of_the_wrong_type_is_one_line(tmp_path, entry, message):
    write(tmp_path / "pyproject.toml", f"[tool.lazyaudit]\n{entry}\n")
    write(tmp_path / "app.py", "import json\n\ndef f():\n    return json.dumps(1)\n")
    result = lazyaudit("fix", "--project", tmp_path, "--dry-run", "-m", "app")
    assert_one_line_error(result, f"[tool.lazyaudit] {message}")


def test_a_pyproject_that_is_not_utf8(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.lazyaudit]\ndjango = "\xff"\n')
    assert_one_line_error(lazyaudit("measure", "--project", tmp_path), "is not UTF-8 text")


def test_a_list_of_modules_in_the_file(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.lazyaudit]\nselect = ["json", "csv"]\n')
    write(tmp_path / "app.py", "import json\nimport csv\n\ndef f():\n"
                               "    return json.dumps(1), csv.reader\n")
    result = lazyaudit("fix", "--project", tmp_path, "--dry-run")
    assert result.code == 0, result
    assert "+    import json\n" in result.out and "+    import csv\n" in result.out


def test_an_empty_selection_is_an_error_and_runs_nothing(tmp_path):
    write(tmp_path / "manage.py", "open('ran', 'w')\n")
    write(tmp_path / "app.py", "open('ran', 'w')\n")
    result = lazyaudit("fix", "--project", tmp_path, "--select", "", "-m", "app", cwd=tmp_path)
    assert_one_line_error(result, "--select: not a module name: ''")
    assert not (tmp_path / "ran").exists()


def test_target_version_on_the_command_line(tmp_path):
    result = lazyaudit("rank", "-m", "json", "--project", tmp_path, "--target-version", "3.x")
    assert result.code == 2
    assert "not a Python version: '3.x'" in result.err


def test_lazy_modules_serves_any_target_and_lazy_needs_315(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "a"\nrequires-python = ">=3.11"\n')
    write(tmp_path / "app.py", "import json\n\ndef f():\n    return json.dumps(1)\n")
    modules = lazyaudit("fix", "--project", tmp_path, "--select", "json", "--dry-run",
                        "--style", "lazy-modules")
    assert modules.code == 0, modules
    assert '+__lazy_modules__ = ["json"]' in modules.out
    lazy = lazyaudit("fix", "--project", tmp_path, "--select", "json", "--dry-run",
                     "--style", "lazy")
    assert_one_line_error(lazy, "--style lazy needs Python 3.15 or later", "targets 3.11")
