"""Import edges to modules that were loaded already, read from the loaded modules' source.

The probe sees a module only when it is loaded for the first time: it hooks
importlib's load step and nothing else, so that the app cannot tell it is there.
An `import x` of a module that some other code loaded first runs no hook. Those
edges are read here from the source of every module the boot loaded: the import
statements that run when the module is imported (module level and class bodies,
in `if`/`try`/`with` blocks; not in functions, `except` handlers, or branches
whose test is known to be false: TYPE_CHECKING, another Python version or
system), each to the modules of the boot it names. docs/measuring.md says why.

Parsing is the cost, so what each file imports is kept in a small cache keyed by
(path, mtime, size, Python version): third-party sources do not change between runs.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sys
from pathlib import Path

from . import cache
from .cache import cache_dir

CACHE_FORMAT = 1
# One statement: [line, level, module or None, names or None]; names is None for
# `import a.b`, the imported names for `from a import b, c`.
Statement = list


def source_edges(modules: list[tuple[str, str | None]], loaded: set[str],
                 version: tuple[int, ...], cache: Path | None = None, scope: str = ""
                 ) -> dict[tuple[str, str], tuple[str, int]]:
    """{(importer, imported): (file, line)} for every import statement that runs when
    Python `version` imports the modules (name, file) and that names a module in
    `loaded`; the first site in the file wins. `scope` (the target's interpreter)
    names the cache file: one per interpreter stays small to read."""
    imports = ImportCache(cache if cache is not None else cache_dir(), version, scope)
    edges: dict[tuple[str, str], tuple[str, int]] = {}
    for name, file in modules:
        if not file or not file.endswith(".py"):
            continue
        for line, *imported in imports.get(file, name):
            for target in imported:
                if target in loaded and target != name:
                    edges.setdefault((name, target), (file, line))
    imports.save()
    return edges


def resolve(statements: list[Statement], name: str, is_package: bool) -> list[list]:
    """[line, module, module.name, ...] for each statement of module `name`: the
    absolute names it may import (whichever of them are modules of the boot)."""
    package = name if is_package else name.rpartition(".")[0]
    resolved = []
    for line, level, module, names in statements:
        if level:
            parts = package.split(".") if package else []
            if level - 1 >= len(parts):
                continue   # beyond the top-level package: the import fails
            base = ".".join(parts[:len(parts) - (level - 1)])
            module = f"{base}.{module}" if module and base else (module or base)
        if module:
            resolved.append([line, module] + [f"{module}.{item}" for item in names or ()
                                              if item != "*"])
    return resolved


class ImportCache:
    """What each source file imports, parsed once per (path, mtime, size, version).

    A marshal file of {path: [mtime_ns, size, version, module name, resolved]} per
    scope: lazyaudit's own, read in milliseconds."""

    def __init__(self, directory: Path, version: tuple[int, ...], scope: str = ""):
        self.version = ".".join(map(str, version))
        self.version_tuple = tuple(version)
        self.directory = directory
        scope_key = hashlib.sha256(scope.encode()).hexdigest()[:16]
        self.name = f"imports-{CACHE_FORMAT}-{scope_key}.marshal"
        entries = cache.read(self.name, directory)
        self.entries: dict[str, list] = entries if isinstance(entries, dict) else {}
        self.changed = False

    def get(self, file: str, name: str) -> list[list]:
        try:
            status = os.stat(file)
        except OSError:
            return []
        # Which `if sys.version_info` branches run depends on the version.
        key = [status.st_mtime_ns, status.st_size, self.version, name]
        entry = self.entries.get(file)
        if entry is not None and entry[:4] == key:
            return entry[4]
        try:
            with open(file, "rb") as handle:
                statements = import_statements(handle.read(), self.version_tuple)
        except OSError:
            return []
        resolved = resolve(statements, name, os.path.basename(file) == "__init__.py")
        self.entries[file] = key + [resolved]
        self.changed = True
        return resolved

    def save(self) -> None:
        """Write the cache; a cache that cannot be written is only slower."""
        if self.changed:
            cache.write(self.name, self.entries, self.directory)


# `lazy import` (PEP 810, Python 3.15) loads nothing at import time: such lines
# are blanked out when this interpreter's parser does not know them.
LAZY_IMPORT = re.compile(rb"^([ \t]*)lazy[ \t]+(?=import\b|from\b)", re.MULTILINE)


def import_statements(source: bytes, version: tuple[int, ...] = sys.version_info[:3]
                      ) -> list[Statement]:
    """The import statements that run when this module's source is executed by Python
    `version` on this system."""
    if b"import" not in source:
        return []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        try:
            tree = ast.parse(LAZY_IMPORT.sub(rb"\1if 0: ", source))
        except (SyntaxError, ValueError):
            # Syntax newer than this interpreter's (`type X = ...` on 3.12+...).
            return top_level_imports(source)
    except ValueError:    # null bytes
        return []
    found: list[Statement] = []
    _collect(tree.body, found, Conditions(tuple(version)))
    return found


TOP_LEVEL_IMPORT = re.compile(
    rb"^(?:import[ \t]+([\w. \t,]+)|from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+([^\n#;]*))",
    re.MULTILINE)


def top_level_imports(source: bytes) -> list[Statement]:
    """The import statements at column 0, found line by line: for a file this
    interpreter cannot parse."""
    found: list[Statement] = []
    for match in TOP_LEVEL_IMPORT.finditer(source):
        line = source.count(b"\n", 0, match.start()) + 1
        if match.group(1) is not None:
            found.extend([line, 0, name, None] for name in _names(match.group(1)))
        else:
            module = match.group(3).decode() or None
            found.append([line, len(match.group(2)), module, _names(match.group(4))])
    return found


def _names(text: bytes) -> list[str]:
    """`a.b as c, d` (or `(a, b`): the imported names."""
    names = []
    for part in text.decode("ascii", "replace").strip(" \t()\\").split(","):
        name = part.split(" as ")[0].strip(" \t()")
        if name:
            names.append(name)
    return names


def _collect(body: list[ast.stmt], found: list[Statement], conditions: Conditions) -> None:
    for node in body:
        if getattr(node, "is_lazy", False):   # PEP 810 `lazy import`, parsed natively
            continue
        if isinstance(node, ast.Import):
            found.extend([node.lineno, 0, alias.name, None] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append([node.lineno, node.level, node.module,
                          [alias.name for alias in node.names]])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue   # runs later, if ever
        elif isinstance(node, ast.If):
            outcome = conditions.outcome(node.test)
            if outcome is not False:
                _collect(node.body, found, conditions)
            if outcome is not True:
                _collect(node.orelse, found, conditions)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            # Not the handlers: they are mostly fallbacks that did not run, and one
            # that did run and loaded a module has that load in the probe's record.
            for block in (node.body, node.orelse, node.finalbody):
                _collect(block, found, conditions)
        else:
            for field in ("body", "orelse", "cases"):
                block = getattr(node, field, None)
                if isinstance(block, list):
                    _collect([item for item in block if isinstance(item, ast.AST)], found,
                             conditions)


class Conditions:
    """Decides the `if` tests whose outcome is known before running: TYPE_CHECKING,
    `__name__ == "__main__"`, constants, and the target's Python version and platform
    (it runs on this system)."""

    def __init__(self, version: tuple[int, ...]):
        self.values = {"sys.version_info": version, "sys.platform": sys.platform,
                       "os.name": os.name, "TYPE_CHECKING": False,
                       "typing.TYPE_CHECKING": False, "__name__": None}

    def outcome(self, test: ast.expr) -> bool | None:
        """True or False when known, None when the test depends on the run."""
        try:
            return bool(self._evaluate(test))
        except (_Unknown, TypeError, IndexError):
            return None

    def _evaluate(self, node: ast.expr):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Tuple):
            return tuple(self._evaluate(item) for item in node.elts)
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = _dotted(node)
            for known in (name, f"sys.{name}", f"typing.{name}"):
                if known in self.values:
                    value = self.values[known]
                    if value is None:
                        raise _Unknown()
                    return value
            raise _Unknown()
        if isinstance(node, ast.Subscript):
            value, index = self._evaluate(node.value), node.slice
            if isinstance(index, ast.Slice):
                return value[slice(*(self._evaluate(part) if part else None
                                     for part in (index.lower, index.upper, index.step)))]
            return value[self._evaluate(index)]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self._evaluate(node.operand)
        if isinstance(node, ast.BoolOp):
            values = [self.outcome(value) for value in node.values]
            stop = isinstance(node.op, ast.Or)   # the value that decides the whole
            if stop in values:
                return stop
            if None in values:
                raise _Unknown()
            return not stop
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            if _is_main_test(node):
                return False   # the module is imported, not run as a script
            left, right = self._evaluate(node.left), self._evaluate(node.comparators[0])
            return COMPARE[type(node.ops[0])](left, right)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "startswith" and len(node.args) == 1):
            return self._evaluate(node.func.value).startswith(self._evaluate(node.args[0]))
        raise _Unknown()


class _Unknown(Exception):
    """The test depends on what happens at run time."""


COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
           ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
           ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
           ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    raise _Unknown()


def _is_main_test(node: ast.Compare) -> bool:
    sides = [node.left, node.comparators[0]]
    return (isinstance(node.ops[0], ast.Eq)
            and any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
            and any(isinstance(side, ast.Constant) and side.value == "__main__"
                    for side in sides))
