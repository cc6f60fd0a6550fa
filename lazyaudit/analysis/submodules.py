"""Submodules a module reaches as attributes while it is imported.

`pygments.formatter.Formatter` evaluated in a class body works only if
`pygments.formatter` is loaded by then, perhaps only as a side effect of another
import (`from pygments.formatters.terminal import TerminalFormatter` loads it).
Deferring that other import makes the attribute vanish: AttributeError at import.
"""

from __future__ import annotations

from . import reasons
from .safety import SiteVerdict, blocked
from .sources import SourceTree
from .usage import Binding, FileUsage


def reached_paths(tree: SourceTree) -> dict[str, list[tuple[str, list[str]]]]:
    """{dotted path: [("file:line", the modules the statements binding its first name
    import), ...]} of every `pkg.sub.attr` read at import time, where `pkg.sub` may be
    a submodule. (Those statements stay: the name is used at import time.)"""
    found: dict[str, list[tuple[str, list[str]]]] = {}
    for usage in tree.files:
        where = usage.path.removeprefix(str(tree.root) + "/")
        for path, line, name in usage.import_time_paths:
            own = [binding.module for statement in usage.statements
                   if not statement.function for binding in statement.bindings
                   if binding.name == name]
            found.setdefault(path, []).append((f"{where}:{line}", own))
    return found


def select_blocker(binding: Binding, usage: FileUsage) -> SiteVerdict | None:
    """Without a boot nothing tells which import loads which submodule: an import
    under a package stays when its own module reaches into that package at import
    time."""
    top = binding.imported.partition(".")[0]
    for path, line, _ in usage.import_time_paths:
        if path.partition(".")[0] == top:
            return blocked(reasons.REACHED_AS_ATTRIBUTE, path=path, line=line,
                           top=top).verdict()
    return None
