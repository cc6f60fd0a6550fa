"""What `fix` will change, decided from the analysis alone (no libcst here).

A plan lists, per import statement, the names to defer, and every import of the
modules in question that stays where it is, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..analysis import reasons
from ..analysis.rank import REFUTED, SAFE, UNSAFE, Candidate, Site
from ..analysis.references import external_references
from ..analysis.safety import Blocker, blocked, judge_binding, statement_blocker
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
    savings_bytes: int | None = None  # private bytes per worker, when measured

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
    """The safe candidates saving at least `min_savings` private bytes per worker, with
    the candidates each needs deferred too."""
    plan = Plan(tree.root)
    usages = {usage.path: usage for usage in tree.files}
    chosen: dict[tuple[str, int], Move] = {}   # by (file, id of the statement)
    wanted = _wanted(candidates, min_savings)
    for candidate in candidates:
        if candidate.verdict != SAFE:
            for site in candidate.sites:
                if candidate.verdict == UNSAFE or not site.verdict.safe:
                    reason, code = site.verdict.reason, site.verdict.code
                elif candidate.verdict == REFUTED:
                    reason, code = candidate.reason, candidate.code
                else:
                    reason, code = f"no gain: {candidate.reason}", candidate.code
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 reason, code, candidate.notable))
            continue
        if candidate.module not in wanted:
            for site in candidate.safe_sites:
                plan.left_alone.append(LeftAlone(
                    site.file, site.line, candidate.module,
                    reasons.BELOW_MIN_SAVINGS.format(
                        private=mib(candidate.savings.rss_anon_bytes)),
                    reasons.BELOW_MIN_SAVINGS.code, candidate.notable))
            continue
        for site in candidate.sites:
            path = str(tree.root / site.file)
            if not site.verdict.safe:
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 site.verdict.reason, site.verdict.code))
            elif not _inside(Path(path), paths):
                plan.left_alone.append(LeftAlone(site.file, site.line, candidate.module,
                                                 reasons.OUTSIDE_PATHS.format(),
                                                 reasons.OUTSIDE_PATHS.code))
            else:
                _add(chosen, usages[path], site.statement, site.bindings, candidate.module,
                     candidate.savings.rss_anon_bytes)
    plan.moves = sorted(chosen.values(), key=lambda m: (m.usage.path, m.statement.line))
    return plan


def _wanted(candidates: list[Candidate], min_savings: int) -> set[str]:
    """Safe candidates saving enough, and those they are deferred together with."""
    safe = {c.module: c for c in candidates if c.verdict == SAFE}
    wanted = {name for name, c in safe.items() if c.savings.rss_anon_bytes >= min_savings}
    todo = list(wanted)
    while todo:
        for other in safe[todo.pop()].together_with:
            if other in safe and other not in wanted:
                wanted.add(other)
                todo.append(other)
    return wanted


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
        aside = not paths and test_or_docs(Path(plan.relative(usage.path)))
        for statement in usage.statements:
            if statement.function:
                continue   # already local to a function
            for module in modules:
                bindings = [b for b in statement.bindings if _imports(b, module)]
                if not bindings and not (statement.star and any(
                        _names(m, module) for m in statement.modules)):
                    continue
                relative = plan.relative(usage.path)
                if aside:
                    plan.left_alone.append(LeftAlone(relative, statement.line, module,
                                                     reasons.TEST_OR_DOCS.format(),
                                                     reasons.TEST_OR_DOCS.code,
                                                     notable=False))
                    continue
                blocker = statement_blocker(statement)
                if blocker:
                    plan.left_alone.append(LeftAlone(relative, statement.line, module,
                                                     blocker.reason, blocker.code))
                    continue
                movable = []
                for binding in bindings:
                    verdict = judge_binding(binding, usage, references)
                    if verdict.safe:
                        verdict = select_blocker(binding, usage) or verdict
                    if verdict.safe:
                        movable.append(binding)
                    else:
                        plan.left_alone.append(LeftAlone(relative, statement.line, module,
                                                         verdict.reason, verdict.code))
                if movable:
                    _add(chosen, usage, statement, movable, module, None)
    plan.moves = sorted(chosen.values(), key=lambda m: (m.usage.path, m.statement.line))
    return plan


TEST_FOLDERS = {"test", "tests", "testing", "doc", "docs", "documentation"}


def test_or_docs(relative: Path) -> bool:
    """Tests and documentation scripts: `fix --select` gains nothing there."""
    name = relative.name
    return (bool(TEST_FOLDERS & set(relative.parts[:-1])) or name == "conftest.py"
            or name.startswith("test_") or name.endswith("_test.py") or name == "tests.py")


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
            blocker = _style_blocker(move, style, moved)
            if blocker:
                plan.left_alone.append(LeftAlone(plan.relative(path), move.statement.line,
                                                 move.modules[0], blocker.reason,
                                                 blocker.code))
            else:
                kept.append(move)
    plan.moves = kept


def _style_blocker(move: Move, style: str, moved: set[tuple[int, str]]) -> Blocker | None:
    statement = move.statement
    is_from = bool(statement.bindings and statement.bindings[0].attribute)
    if (style == "lazy" or is_from) and not move.whole_statement:
        rest = ", ".join(b.name for b in statement.bindings if b not in move.bindings)
        return blocked(reasons.STYLE_WHOLE_STATEMENT, rest=rest, style=style)
    if style == "lazy-modules":
        if statement.level:
            return blocked(reasons.STYLE_RELATIVE)
        names = lazy_module_names(move)
        for other in move.usage.statements:
            if other.function or other.block == "try" or other.type_checking:
                continue   # never made lazy
            for binding in other.bindings:
                if (_written_module(other, binding) in names
                        and (other.line, binding.name) not in moved):
                    return blocked(reasons.STYLE_OTHER_LINE, line=other.line)
    return None


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
