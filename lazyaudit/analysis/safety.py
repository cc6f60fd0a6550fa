"""Is it safe to defer one import statement? Say why not, for every one left alone.

The rules of "Changing code safely" in docs/architecture.md: move an import only when every
use of every name it binds runs later than module import.
"""

from __future__ import annotations

from dataclasses import dataclass

from .usage import GLOBAL_READ, Binding, FileUsage, ImportStatement

SIDE_EFFECT_MODULES = ("signals", "admin", "checks", "receivers", "handlers", "hooks",
                       "plugins", "monkeypatch", "patches")


@dataclass(slots=True)
class SiteVerdict:
    safe: bool
    reason: str = ""                 # why not, when unsafe
    style: str = "local"             # "local" or "type-checking" when safe


def judge(statement: ImportStatement, usage: FileUsage,
          references: dict[tuple[str, str], list[str]],
          bindings: list[Binding] | None = None) -> SiteVerdict:
    """May the statement (or only these of its bindings) move into the functions that
    use it? Every binding considered must be movable."""
    blocker = statement_blocker(statement)
    if blocker:
        return SiteVerdict(False, blocker)
    considered = statement.bindings if bindings is None else bindings
    if not considered:
        return SiteVerdict(False, "binds no name")
    styles = set()
    for binding in considered:
        verdict = judge_binding(binding, usage, references)
        if not verdict.safe:
            return verdict
        styles.add(verdict.style)
    return SiteVerdict(True, style="local" if "local" in styles else "type-checking")


def statement_blocker(statement: ImportStatement) -> str:
    """Why no name of this statement may move, or "" when that depends on the names."""
    if statement.future:
        return "__future__ import"
    if statement.star:
        return "star import"
    if statement.lazy:
        return "already a lazy import"
    if statement.type_checking:
        return "already under `if TYPE_CHECKING:`"
    if statement.function:
        if any(not b.uses for b in statement.bindings):
            return f"imported for its side effects in {statement.function}(), which runs at " \
                   "startup"
        return f"already local to {statement.function}(), which runs at startup"
    if statement.block == "try":
        return "inside try/except (an ImportError fallback binds the name twice)"
    if statement.block:
        return f"conditional import (inside `{statement.block}`)"
    return ""


def judge_binding(binding: Binding, usage: FileUsage,
                  references: dict[tuple[str, str], list[str]]) -> SiteVerdict:
    """May this one name of a module-level import move into the functions that use it?"""
    name = binding.name
    if binding.imported.rpartition(".")[2] in SIDE_EFFECT_MODULES:
        return SiteVerdict(False, f"{binding.imported} is imported for its side effects (such "
                                  "modules register handlers when imported)")
    if binding.in_all:
        return SiteVerdict(False, f"{name} is re-exported in __all__")
    if usage.is_package:
        return SiteVerdict(False, f"{name} is re-exported by the package's __init__.py")
    outside = references.get((usage.module, name))
    if outside:
        return SiteVerdict(False, f"{name} is used from outside the module: {outside[0]}")
    if binding.other_bindings:
        return SiteVerdict(False, f"{name} is bound more than once "
                                  f"({', '.join(binding.other_bindings)})")
    import_time = binding.import_time_uses
    if import_time:
        first = import_time[0]
        return SiteVerdict(False, f"{name} is used at import time: {first.where} "
                                  f"(line {first.line})")
    class_globals = [use for use in binding.uses if use.kind == GLOBAL_READ]
    if class_globals:
        first = class_globals[0]
        return SiteVerdict(False, f"{name} is read as a module global by a class body in "
                                  f"{first.where}() that binds {name} too (line {first.line})")
    if not binding.uses:
        return SiteVerdict(False, f"imported for its side effects ({name} is never used)")
    outside_def = [use for use in binding.deferred_uses if not use.def_line]
    if outside_def:
        return SiteVerdict(False, f"{name} is used in a module-level lambda (line "
                                  f"{outside_def[0].line}), which has no body to import it in")
    finalizers = [use for use in binding.deferred_uses if use.where.endswith("__del__")]
    if finalizers:
        return SiteVerdict(False, f"{name} is used in __del__ (line {finalizers[0].line}), "
                                  "which may run at interpreter shutdown, when imports fail")
    return SiteVerdict(True, style="type-checking" if binding.annotation_only else "local")
