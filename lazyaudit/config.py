"""Settings from `[tool.lazyaudit]` in the nearest pyproject.toml that has one.

Keys are the long option names (`top`, `python`, `django`, `no-tracemalloc`, ...).
An option given on the command line wins over the file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .errors import LazyauditError

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


class ConfigError(LazyauditError):
    """A pyproject.toml that cannot be used; the message is one line."""


def load_config(start: Path) -> tuple[dict, Path | None]:
    """[tool.lazyaudit] of the nearest pyproject.toml at or above `start` that has one
    (as ruff and pytest look for theirs), and that file."""
    for path in pyprojects(start):
        section = read_pyproject(path).get("tool", {})
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: `tool` must be a table")
        if "lazyaudit" not in section:
            continue
        if not isinstance(section["lazyaudit"], dict):
            raise ConfigError(f"{path}: [tool.lazyaudit] must be a table")
        return {key.replace("-", "_"): value for key, value in section["lazyaudit"].items()}, path
    return {}, None


def requires_python(start: Path) -> tuple[int, int] | None:
    """The lowest Python `requires-python` of the nearest pyproject.toml with a
    [project] table allows, e.g. (3, 15)."""
    for path in pyprojects(start):
        try:
            project = read_pyproject(path).get("project")
        except ConfigError:
            return None
        if isinstance(project, dict):
            return lowest_version(project.get("requires-python"))
    return None


def lowest_version(spec) -> tuple[int, int] | None:
    if not isinstance(spec, str):
        return None
    lowest = None
    for match in re.finditer(r"(>=|~=|==|>)\s*(\d+)\.(\d+)", spec):
        found = (int(match.group(2)), int(match.group(3)) + (match.group(1) == ">"))
        lowest = max(lowest or found, found)
    return lowest


def pyprojects(start: Path):
    """pyproject.toml files from `start` upward, up to the top of its repository."""
    folder = start.resolve()
    while True:
        if (folder / "pyproject.toml").is_file():
            yield folder / "pyproject.toml"
        if (folder / ".git").exists() or folder.parent == folder:
            return
        folder = folder.parent


def read_pyproject(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
