"""What `fix` will change, decided from the analysis alone (no libcst here).

A plan lists, per import statement, the names to defer, and every import of the
modules in question that stays where it is, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.rank import SAFE, UNSAFE, Candidate, Site
from ..analysis.references import external_references
from ..analysis.safety import judge_binding, statement_blocker
from ..analysis.sources import SourceTree
from ..analysis.submodules import select_blocker
from ..analysis.usage import Binding, FileUsage, ImportStatement
from ..model import LeftAlone
from ..units import mib


@dataclass(slots=True)
class Move:
    """Defer these names of one module-level import statement."""

    usage: FileUsage
    statement: ImportStatement
    bindings: list[Binding]
    modules: list[str]                # what the user asked for, for messages
    savings_bytes: int | None = None  # per worker, when measured

    @property
    def path(self) -> Path:
        return Path(self.usage.path)

    @property
    def whole_statement(self) -> bool:
        return len(self.bindings) == len(self.statement.bindings)


@dataclass(slots=True)
class Plan:
    root: Path
    moves: list[Move] = field(default_factory=list)
    left_alone: list[LeftAlone] = field(default_factory=list)

    def relative(self, path: str | Path) -> str:
        return Path(path).relative_to(self.root).as_posix()

    def by_file(self) -> dict[Path, list[Move]]:
        files: dict[Path, list[Move]] = {}
        for move in self.moves:
            files.setdefault(move.path, []).append(move)
        return files


def plan_from_candidates(candidates: list[Candidate], tree: SourceTree, min_savings: int,
                         paths: list[Path]) -> Plan:
    """The safe candidates saving at least `min_savings` bytes per worker."""
    plan = Plan(tree.root)
    usages = {usage.path: usage for usage in tree.files}
    chosen: dict[tuple[str, int], Move] = {}   # by (file, id of the statement)
    for candidate in candidates:
        if candidate.verdict != SAFE:
            for site in candidate.sites:
                reason = (site.verdict.reason if candidate.verdict == UNSAFE
                          else f"no gain: {candidate.reason}")
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 reason, candidate.notable))
            continue
        if candidate.savings.rss_bytes < min_savings:
            for site in candidate.safe_sites:
                plan.left_alone.append(LeftAlone(
                    site.file, site.line, candidate.module,
                    f"saves {mib(candidate.savings.rss_bytes)} MiB, less than --min-savings",
                    candidate.notable))
            continue
        for site in candidate.sites:
            path = str(tree.root / site.file)
            if not site.verdict.safe:
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 site.verdict.reason))
            elif not _inside(Path(path), paths):
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 "outside the paths given"))
            else:
                _add(chosen, usages[path], site.statement, site.bindings, candidate.module,
                     candidate.savings.rss_bytes)
    plan.moves = sorted(chosen.values(), key=lambda m: (m.usage.path, m.statement.line))
    return plan


def plan_from_sites(sites: list[Site], tree: SourceTree) -> Plan:
    """Every safe one of these sites deferred: what `fix` writes for them."""
    plan = Plan(tree.root)
    usages = {usage.path: usage for usage in tree.files}
    chosen: dict[tuple[str, int], Move] = {}
    for site in sites:
        if site.verdict.safe:
            _add(chosen, usages[str(tree.root / site.file)], site.statement, site.bindings,
                 site.targets[0], None)
    plan.moves = sorted(chosen.values(), key=lambda m: (m.usage.path, m.statement.line))
    return plan


def plan_from_selection(modules: list[str], tree: SourceTree, paths: list[Path]) -> Plan:
    """Every module-level import of these modules that the analysis finds safe to defer."""
    plan = Plan(tree.root)
    references = external_references(tree)
    chosen: dict[tuple[str, int], Move] = {}   # by (file, id of the statement)
    for usage in tree.files:
        if not _inside(Path(usage.path), paths):
            continue
        for statement in usage.statements:
            if statement.function:
                continue   # already local to a function
            for module in modules:
                bindings = [b for b in statement.bindings if _imports(b, module)]
                if not bindings and not (statement.star and any(
                        _names(m, module) for m in statement.modules)):
                    continue
                relative = plan.relative(usage.path)
                blocker = statement_blocker(statement)
                if blocker:
                    plan.left_alone.append(LeftAlone(relative, statement.line, module, blocker))
                    continue
                movable = []
                for binding in bindings:
                    verdict = judge_binding(binding, usage, references)
                    reason = verdict.reason or select_blocker(binding, usage)
                    if not reason:
                        movable.append(binding)
                    else:
                        plan.left_alone.append(LeftAlone(relative, statement.line, module,
                                                         reason))
                if movable:
                    _add(chosen, usage, statement, movable, module, None)
    plan.moves = sorted(chosen.values(), key=lambda m: (m.usage.path, m.statement.line))
    return plan


def _imports(binding: Binding, module: str) -> bool:
    return _names(binding.module, module) or _names(binding.imported, module)


def _names(imported: str, module: str) -> bool:
    """Importing `imported` loads `module` (itself or a submodule of it)."""
    return imported == module or imported.startswith(module + ".")


def _inside(path: Path, paths: list[Path]) -> bool:
    return not paths or any(path == p or p in path.parents for p in paths)


def _add(chosen: dict, usage: FileUsage, statement: ImportStatement, bindings: list[Binding],
         module: str, savings: int | None) -> None:
    key = (usage.path, id(statement))    # two statements may share a line (`;`)
    move = chosen.get(key)
    if move is None:
        chosen[key] = Move(usage, statement, list(bindings), [module], savings)
        return
    move.bindings += [b for b in bindings if b not in move.bindings]
    if module not in move.modules:
        move.modules.append(module)


def restrict_to_style(plan: Plan, style: str) -> None:
    """Leave alone what the style cannot express without changing other names."""
    if style == "local":
        return
    kept = []
    for path, moves in plan.by_file().items():
        moved = {(m.statement.line, b.name) for m in moves for b in m.bindings}
        for move in moves:
            reason = _style_blocker(move, style, moved)
            if reason:
                plan.left_alone.append(LeftAlone(plan.relative(path), move.statement.line,
                                                 move.modules[0], reason))
            else:
                kept.append(move)
    plan.moves = kept


def _style_blocker(move: Move, style: str, moved: set[tuple[int, str]]) -> str:
    statement = move.statement
    is_from = bool(statement.bindings and statement.bindings[0].attribute)
    if (style == "lazy" or is_from) and not move.whole_statement:
        rest = ", ".join(b.name for b in statement.bindings if b not in move.bindings)
        return (f"{rest} must stay eager, and `{style}` would make the whole statement "
                "lazy; use --style local")
    if style == "lazy-modules":
        if statement.level:
            return "relative import: __lazy_modules__ names absolute modules; use --style lazy"
        names = lazy_module_names(move)
        for other in move.usage.statements:
            if other.function or other.block == "try" or other.type_checking:
                continue   # never made lazy
            for binding in other.bindings:
                if (_written_module(other, binding) in names
                        and (other.line, binding.name) not in moved):
                    return (f"__lazy_modules__ would also make line {other.line} lazy, "
                            "which must stay eager; use --style local")
    return ""


def lazy_module_names(move: Move) -> list[str]:
    """The names __lazy_modules__ needs for this statement, as the statement spells them."""
    names = []
    for binding in move.bindings:
        name = _written_module(move.statement, binding)
        if name not in names:
            names.append(name)
    return names


def _written_module(statement: ImportStatement, binding: Binding) -> str:
    if binding.attribute:              # from M import x: M
        return binding.module
    index = statement.bindings.index(binding)
    return statement.modules[index]    # import a.b.c (as x): a.b.c
