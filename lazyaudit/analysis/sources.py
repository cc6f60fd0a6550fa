"""The project's own Python files, parsed with `ast`, each named as Python imports it.

A file's module name counts from its import root: `src/` in a src layout, the package
folders pyproject.toml or setup.cfg declare, the folder of manage.py, and in a boot
the folders the target's modules were really imported from; else the project root.
"""

from __future__ import annotations

import configparser
import contextlib
import fnmatch
import gc
import io
import os
import sys
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from .usage import FileUsage, parse_source, scan_source

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", "build", "dist",
             "site-packages", "dist-packages", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
             ".ruff_cache", ".eggs", ".cache", "htmlcov"}


@dataclass(slots=True)
class SourceTree:
    root: Path
    files: list[FileUsage] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # "path: reason", shown to the user
    roots: list[Path] = field(default_factory=list)    # folders modules are named from
    parsed: int = 0            # files parse_each handed on (scan_tree: see files)

    def names_modules_as(self, boot: list[str]) -> bool:
        """Were the modules named from every folder this boot imported them from?"""
        return all(Path(folder) == self.root or Path(folder) in self.roots
                   or self.root not in Path(folder).parents for folder in boot)

    def by_module(self) -> dict[str, FileUsage]:
        return {usage.module: usage for usage in self.files}


def is_virtualenv(path: Path) -> bool:
    try:
        return (path / "pyvenv.cfg").is_file() or (path / "conda-meta").is_dir()
    except OSError:          # a folder we may not look into is no virtualenv we can use
        return False


def python_files(root: Path, exclude: list[str] = (),
                 unreadable: list[str] | None = None) -> list[Path]:
    """Every .py file below root, skipping virtualenvs, build output and `exclude` globs;
    folders that cannot be listed are added to `unreadable`."""
    found = []

    def cannot_list(error: OSError) -> None:
        if unreadable is not None:
            unreadable.append(f"{Path(error.filename).relative_to(root)}: cannot read "
                              f"({error.strerror})")

    top = str(root)
    for directory, subdirs, files in os.walk(root, onerror=cannot_list):
        # Read from the listing os.walk made anyway: a stat per folder would cost more
        # than the listing itself in a tree with many folders (Django's locales).
        if directory != top and ("pyvenv.cfg" in files or "conda-meta" in subdirs):
            subdirs[:] = []    # a virtualenv
            continue
        here = Path(directory)
        subdirs[:] = sorted(
            name for name in subdirs
            if name not in SKIP_DIRS and not name.endswith(".egg-info")
            and not (exclude and _excluded((here / name).relative_to(root), exclude)))
        for name in sorted(files):
            if name.endswith(".py"):
                path = here / name
                if not (exclude and _excluded(path.relative_to(root), exclude)):
                    found.append(path)
    return found


def _excluded(relative: Path, patterns) -> bool:
    text = relative.as_posix()
    return any(fnmatch.fnmatch(text, pattern) or fnmatch.fnmatch(text, pattern.rstrip("/") + "/*")
               for pattern in patterns)


def module_name(root: Path, path: Path, import_roots: list[Path] = ()) -> tuple[str, bool]:
    """Dotted name of a file, as imported from the deepest of `import_roots` holding it
    (else from `root`)."""
    # Strings, not pathlib: this runs for every file of the scan.
    text = str(path)
    inside = [folder for folder in map(str, import_roots) if text.startswith(folder + os.sep)]
    base = max(inside, key=len) if inside else str(root)
    if text.startswith(base + os.sep):
        relative = text[len(base) + 1:]
    else:
        relative = str(path.relative_to(base))
    parts = os.path.splitext(relative)[0].split(os.sep)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def decode_source(data: bytes) -> str:
    """Text of a Python file as Python reads it: a BOM or `# coding:` line is honoured."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding).removeprefix("\ufeff")


def import_roots(root: Path, files: list[Path], boot_roots: list[str] = ()) -> list[Path]:
    """The folders inside the project that its modules are imported from."""
    found = [root / "src"] + [root / folder for folder in _declared_roots(root)]
    found += [path.parent for path in files if path.name == "manage.py"]
    # A folder that is a package itself is imported from its parent (`src.app`).
    found = [folder for folder in found if not (folder / "__init__.py").exists()]
    found += [Path(folder) for folder in boot_roots]
    roots = []
    for folder in found:
        folder = Path(os.path.normpath(folder))
        if (folder != root and root in folder.parents and folder.is_dir()
                and folder not in roots):
            roots.append(folder)
    return roots


def _declared_roots(root: Path) -> list[str]:
    """Package folders pyproject.toml (setuptools, hatch, poetry) or setup.cfg declare."""
    folders: list[str] = []
    try:
        with open(root / "pyproject.toml", "rb") as file:
            tool = tomllib.load(file).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        tool = {}
    folders += _strings(_key(tool, "setuptools", "package-dir", ""))
    folders += _strings(_key(tool, "setuptools", "packages", "find", "where"))
    folders += [str(Path(package).parent) for package in
                _strings(_key(tool, "hatch", "build", "targets", "wheel", "packages"))]
    for package in _key(tool, "poetry", "packages") or []:
        folders += _strings(_key(package, "from"))
    config = configparser.ConfigParser()
    try:
        config.read(root / "setup.cfg", encoding="utf-8")
        package_dir = config.get("options", "package_dir", fallback="")
        folders += [value.strip() for key, _, value in (
            line.partition("=") for line in package_dir.splitlines()) if not key.strip()
            and value.strip()]
        folders += _strings(config.get("options.packages.find", "where", fallback=None))
    except (OSError, configparser.Error, UnicodeDecodeError):
        pass
    return folders


def _key(table, *keys):
    """table[k1][k2]..., or None where a key is missing or a value is no table."""
    for key in keys:
        if not isinstance(table, dict):
            return None
        table = table.get(key)
    return table


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value.strip()]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def boot_roots(report) -> list[str]:
    """The folders a boot really imported the project's modules from: each first-party
    module's file with its dotted name taken off."""
    roots = set()
    for module in report.modules:
        if module.kind != "first-party" or not module.file:
            continue
        path = Path(module.file)
        parts = module.name.split(".")
        if path.name == "__init__.py":
            path = path.parent
        if path.with_suffix("").name != parts[-1]:
            continue
        folder = path.parent
        for _ in parts[:-1]:
            folder = folder.parent
        roots.add(str(folder))
    return sorted(roots)


def scan_tree(root: Path, exclude: list[str] = (), boot: list[str] = ()) -> SourceTree:
    """Parse every first-party file; files that cannot be read or parsed are skipped.
    `boot`: the folders a boot imported the project from (see boot_roots)."""
    tree = SourceTree(root)
    with collector_paused():
        for path, name, is_package, source in _sources(tree, exclude, boot):
            usage = _parsed(tree, path, scan_source, source, str(path), name, is_package)
            if usage is not None:
                tree.files.append(usage)
    return tree


def parse_each(root: Path, visit, exclude: list[str] = ()) -> SourceTree:
    """Parse every first-party file as scan_tree does (the same files, module names and
    skipped files) and hand each parse to visit(tree, path, module, is_package), for
    a pass that needs no import uses (lint). Its `files` stay empty; `parsed` counts."""
    tree = SourceTree(root)
    for path, name, is_package, source in _sources(tree, exclude, ()):
        parsed = _parsed(tree, path, parse_source, source, str(path))
        if parsed is not None:
            visit(parsed[0], str(path), name, is_package)
            tree.parsed += 1
    return tree


@contextlib.contextmanager
def collector_paused():
    """A scan builds no reference cycles, only a growing pile of results (or trees)
    that every run of the cyclic garbage collector would walk again: a sixth of
    rank's scan time, and twice lint's."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _sources(tree: SourceTree, exclude, boot):
    """(path, module name, is package, text) of every first-party file that can be
    read; those that cannot are added to tree.skipped."""
    root = tree.root
    files = python_files(root, exclude, tree.skipped)
    roots = tree.roots = import_roots(root, files, boot)
    for path in files:
        name, is_package = module_name(root, path, roots)
        try:
            source = decode_source(path.read_bytes())
        except (OSError, UnicodeDecodeError, SyntaxError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            tree.skipped.append(f"{path.relative_to(root)}: cannot read ({reason})")
            continue
        yield path, name, is_package, source


def _parsed(tree: SourceTree, path: Path, parse, *args):
    """parse(*args), which parses `path`; a file that does not parse is skipped (None),
    saying why."""
    try:
        return parse(*args)
    except RecursionError:
        tree.skipped.append(f"{path.relative_to(tree.root)}: too deeply nested to scan, "
                            "skipped")
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None)
        tree.skipped.append(f"{path.relative_to(tree.root)}:{line or '?'}: syntax error, "
                            f"skipped ({getattr(error, 'msg', error)})")
    return None
