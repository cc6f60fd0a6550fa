"""Settings from `[tool.lazyaudit]` in the project's pyproject.toml.

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


def load_config(project: Path) -> dict:
    path = project / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: `tool` must be a table")
    section = tool.get("lazyaudit", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [tool.lazyaudit] must be a table")
    return {key.replace("-", "_"): value for key, value in section.items()}


def requires_python(project: Path) -> tuple[int, int] | None:
    """The lowest Python `requires-python` in pyproject.toml allows, e.g. (3, 15)."""
    path = project / "pyproject.toml"
    try:
        with path.open("rb") as handle:
            spec = tomllib.load(handle).get("project", {}).get("requires-python")
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if not isinstance(spec, str):
        return None
    lowest = None
    for match in re.finditer(r"(>=|~=|==|>)\s*(\d+)\.(\d+)", spec):
        found = (int(match.group(2)), int(match.group(3)) + (match.group(1) == ">"))
        lowest = max(lowest or found, found)
    return lowest
