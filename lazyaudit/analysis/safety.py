"""Is it safe to defer one import statement? Say why not, for every one left alone.

The rules of "Changing code safely" in docs/architecture.md: move an import only when
every use of every name it binds runs later than module import. Every reason is a
coded entry of reasons.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import reasons
from .reasons import Reason
from .usage import GLOBAL_READ, Binding, FileUsage, ImportStatement

SIDE_EFFECT_MODULES = ("signals", "admin", "checks", "receivers", "handlers", "hooks",
                       "plugins", "monkeypatch", "patches")


@dataclass(slots=True)
class SiteVerdict:
    safe: bool
    reason: str = ""                 # why not, when unsafe
    style: str = "local"             # "local" or "type-checking" when safe
    code: str | None = None          # the reason's code (reasons.py), when unsafe


@dataclass(slots=True)
class Blocker:
    """Why an import stays: the message and its code."""

    reason: str
    code: str

    def verdict(self) -> SiteVerdict:
        return SiteVerdict(False, self.reason, code=self.code)


def blocked(reason: Reason, **fields) -> Blocker:
    return Blocker(reason.format(**fields), reason.code)


def judge(statement: ImportStatement, usage: FileUsage,
          references: dict[tuple[str, str], list[str]],
          bindings: list[Binding] | None = None) -> SiteVerdict:
    """May the statement (or only these of its bindings) move into the functions that
    use it? Every binding considered must be movable."""
    blocker = statement_blocker(statement)
    if blocker:
        return blocker.verdict()
    considered = statement.bindings if bindings is None else bindings
    if not considered:
        return blocked(reasons.NO_NAME).verdict()
    styles = set()
    for binding in considered:
        verdict = judge_binding(binding, usage, references)
        if not verdict.safe:
            return verdict
        styles.add(verdict.style)
    return SiteVerdict(True, style="local" if "local" in styles else "type-checking")


def statement_blocker(statement: ImportStatement) -> Blocker | None:
    """Why no name of this statement may move, or None when that depends on the names."""
    if statement.future:
        return blocked(reasons.FUTURE)
    if statement.star:
        return blocked(reasons.STAR)
    if statement.lazy:
        return blocked(reasons.ALREADY_LAZY)
    if statement.type_checking:
        return blocked(reasons.TYPE_CHECKING_ONLY)
    if statement.function:
        if any(not b.uses for b in statement.bindings):
            return blocked(reasons.SIDE_EFFECT_IN_FUNCTION, function=statement.function)
        return blocked(reasons.LOCAL_RUNS_AT_STARTUP, function=statement.function)
    if statement.block == "try":
        twice = [b.name for b in statement.bindings if b.other_bindings]
        if twice:
            return blocked(reasons.TRY_FALLBACK, name=twice[0])
        return blocked(reasons.TRY_BLOCK)
    if statement.block:
        return blocked(reasons.CONDITIONAL, block=statement.block)
    return None


def judge_binding(binding: Binding, usage: FileUsage,
                  references: dict[tuple[str, str], list[str]]) -> SiteVerdict:
    """May this one name of a module-level import move into the functions that use it?"""
    name = binding.name
    if binding.imported.rpartition(".")[2] in SIDE_EFFECT_MODULES:
        return blocked(reasons.SIDE_EFFECT_MODULE, module=binding.imported).verdict()
    if binding.in_all:
        return blocked(reasons.IN_ALL, name=name).verdict()
    if usage.is_package:
        return blocked(reasons.PACKAGE_INIT, name=name).verdict()
    outside = references.get((usage.module, name))
    if outside:
        return blocked(reasons.USED_OUTSIDE, name=name, where=outside[0]).verdict()
    if binding.other_bindings:
        return blocked(reasons.BOUND_TWICE, name=name,
                       how=", ".join(binding.other_bindings)).verdict()
    import_time = binding.import_time_uses
    if import_time:
        first = import_time[0]
        return blocked(reasons.IMPORT_TIME_USE, name=name, where=first.where,
                       line=first.line).verdict()
    class_globals = [use for use in binding.uses if use.kind == GLOBAL_READ]
    if class_globals:
        first = class_globals[0]
        return blocked(reasons.CLASS_GLOBAL_READ, name=name, where=first.where,
                       line=first.line).verdict()
    if not binding.uses:
        return blocked(reasons.NEVER_USED, name=name).verdict()
    outside_def = [use for use in binding.deferred_uses if not use.def_line]
    if outside_def:
        return blocked(reasons.MODULE_LAMBDA, name=name, line=outside_def[0].line).verdict()
    finalizers = [use for use in binding.deferred_uses if use.where.endswith("__del__")]
    if finalizers:
        return blocked(reasons.FINALIZER, name=name, line=finalizers[0].line).verdict()
    return SiteVerdict(True, style="type-checking" if binding.annotation_only else "local")
