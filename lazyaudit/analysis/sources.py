"""The project's own Python files, parsed with `ast`."""

from __future__ import annotations

import fnmatch
import io
import os
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from .usage import FileUsage, scan_source

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", "build", "dist",
             "site-packages", "dist-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
             ".ruff_cache", ".eggs", ".cache", "htmlcov"}


@dataclass(slots=True)
class SourceTree:
    root: Path
    files: list[FileUsage] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # "path: reason", shown to the user

    def by_module(self) -> dict[str, FileUsage]:
        return {usage.module: usage for usage in self.files}


def is_virtualenv(path: Path) -> bool:
    return (path / "pyvenv.cfg").is_file() or (path / "conda-meta").is_dir()


def python_files(root: Path, exclude: list[str] = ()) -> list[Path]:
    """Every .py file below root, skipping virtualenvs, build output and `exclude` globs."""
    found = []
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        subdirs[:] = sorted(
            name for name in subdirs
            if name not in SKIP_DIRS and not name.endswith(".egg-info")
            and not is_virtualenv(here / name)
            and not _excluded((here / name).relative_to(root), exclude))
        for name in sorted(files):
            path = here / name
            if name.endswith(".py") and not _excluded(path.relative_to(root), exclude):
                found.append(path)
    return found


def _excluded(relative: Path, patterns) -> bool:
    text = relative.as_posix()
    return any(fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(text, pattern.rstrip("/") + "/*")
               for pattern in patterns)


def module_name(root: Path, path: Path) -> tuple[str, bool]:
    """Dotted name of a file, as imported with `root` first on sys.path."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def decode_source(data: bytes) -> str:
    """Text of a Python file as Python reads it: a BOM or `# coding:` line is honoured."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding).removeprefix("\ufeff")


def scan_tree(root: Path, exclude: list[str] = ()) -> SourceTree:
    """Parse every first-party file; files that cannot be read or parsed are skipped."""
    tree = SourceTree(root)
    for path in python_files(root, exclude):
        name, is_package = module_name(root, path)
        try:
            source = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, SyntaxError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            tree.skipped.append(f"{path.relative_to(root)}: cannot read ({reason})")
            continue
        try:
            tree.files.append(scan_source(source, str(path), name, is_package))
        except (SyntaxError, ValueError) as error:
            line = getattr(error, "lineno", None)
            tree.skipped.append(f"{path.relative_to(root)}:{line or '?'}: syntax error, skipped "
                                f"({getattr(error, 'msg', error)})")
    return tree
