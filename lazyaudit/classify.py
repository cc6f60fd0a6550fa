"""Class each module as stdlib, first-party or third-party, and find its distribution."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import cache

STDLIB, FIRST_PARTY, THIRD_PARTY = "stdlib", "first-party", "third-party"
CACHE_FORMAT = 1


class Classifier:
    """Knows the target interpreter's layout, as the probe reported it."""

    def __init__(self, interpreter: dict, project: Path):
        self.project = str(project.resolve()) + os.sep
        self.site_dirs = tuple(_with_sep(p) for p in interpreter.get("site_dirs", []))
        self.stdlib_dirs = tuple(_with_sep(p) for p in interpreter.get("stdlib_dirs", []))
        self.stdlib_names = (set(interpreter.get("stdlib_module_names", []))
                             | set(interpreter.get("builtin_module_names", [])))
        self.distributions = top_level_distributions(interpreter.get("site_dirs", []))
        self.real_dirs: dict[str, str] = {}    # realpath of each folder, resolved once

    def real_path(self, file: str) -> str:
        if os.path.islink(file):        # e.g. a link tree of a strict editable install
            return os.path.realpath(file)
        folder, name = os.path.split(file)
        if folder not in self.real_dirs:
            self.real_dirs[folder] = os.path.realpath(folder)
        return os.path.join(self.real_dirs[folder], name)

    def kind(self, name: str, file: str | None) -> str:
        top = name.partition(".")[0]
        if file:
            path = self.real_path(file)
            in_site = path.startswith(self.site_dirs) or "site-packages" in path
            if path.startswith(self.project) and not in_site:
                return FIRST_PARTY
            if path.startswith(self.stdlib_dirs) and not in_site:
                return STDLIB
            if in_site:
                return THIRD_PARTY
        if top in self.stdlib_names:
            return STDLIB
        return THIRD_PARTY if file else ""   # "" = decided from its package below

    def distribution(self, name: str, kind: str) -> str | None:
        if kind == STDLIB:
            return None
        return self.distributions.get(name.partition(".")[0])


def classify(modules: list[dict], interpreter: dict, project: Path) -> None:
    """Fill in `kind` and `distribution` of the probe's module records, in place."""
    classifier = Classifier(interpreter, project)
    kind_of_top: dict[str, str] = {}
    for module in modules:
        module["kind"] = classifier.kind(module["name"], module.get("file"))
        if module["kind"]:
            kind_of_top.setdefault(module["name"].partition(".")[0], module["kind"])
    for module in modules:
        if not module["kind"]:   # namespace packages and other file-less modules
            module["kind"] = kind_of_top.get(module["name"].partition(".")[0], THIRD_PARTY)
        module["distribution"] = classifier.distribution(module["name"], module["kind"])


def shadowed(modules: list[dict], project: Path) -> list[str]:
    """Warnings for the project's own top-level modules that were imported from
    somewhere else (an installed copy earlier on sys.path): their imports are not the
    project's code, and ranking would skip them without a word."""
    own = {path.stem if path.suffix == ".py" else path.name
           for path in project.iterdir()
           if (path.suffix == ".py" and path.is_file()) or (path / "__init__.py").is_file()}
    warnings = []
    for module in modules:
        name, file = module["name"], module.get("file")
        if "." not in name and name in own and file and module["kind"] != FIRST_PARTY:
            warnings.append(f"{name} is imported from {file}, not from the project's own "
                            f"{name} (an installed copy comes first on sys.path); its "
                            "imports are not ranked as the project's")
    return warnings


def top_level_distributions(site_dirs: list[str]) -> dict[str, str]:
    """Map top-level import names to the distribution that installs them; cached per
    set of site folders and their modification times (installing or removing a
    distribution changes them)."""
    key = f"distributions-{CACHE_FORMAT}-" + hashlib.sha256(
        repr(sorted(site_dirs)).encode()).hexdigest()[:16]
    stamp = [_mtime(path) for path in sorted(site_dirs)]
    cached = cache.read(key)
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == stamp:
        return cached[1]
    mapping = read_distributions(site_dirs)
    cache.write(key, [stamp, mapping])
    return mapping


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def read_distributions(site_dirs: list[str]) -> dict[str, str]:
    """Read each distribution's files as plain text (Name from METADATA, names from
    top_level.txt, else the first part of each RECORD path): parsing them with email
    and csv, as `metadata` and `files` do, took as long as a small boot."""
    import importlib_metadata

    mapping: dict[str, str] = {}
    for dist in importlib_metadata.distributions(path=list(site_dirs)):
        name = _name(dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "")
        if not name:
            continue
        for top in _top_level_names(dist):
            mapping.setdefault(top, name)
    return mapping


def _name(metadata: str) -> str | None:
    """The Name: header of a METADATA file (headers end at the first blank line)."""
    for line in metadata.splitlines():
        if not line:
            return None
        if line.startswith("Name:"):
            return line[5:].strip() or None
    return None


def _top_level_names(dist) -> set[str]:
    text = dist.read_text("top_level.txt")
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    record = dist.read_text("RECORD")
    paths = ([line.rsplit(",", 2)[0].strip('"') for line in record.splitlines()]
             if record else [str(file) for file in dist.files or ()])
    names = set()
    for path in paths:
        top, _, rest = path.partition("/")
        if not top or top.endswith((".dist-info", ".egg-info", ".data")) or top == "..":
            continue
        if not rest:
            if not top.endswith((".py", ".so", ".pyd")):
                continue
            top = top.split(".", 1)[0]
        if top.isidentifier():
            names.add(top)
    return names


def _with_sep(path: str) -> str:
    return os.path.realpath(path).rstrip(os.sep) + os.sep
