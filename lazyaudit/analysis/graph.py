"""What really leaves startup when some import edges go away.

A module disappears only if no path from the boot's entry points reaches it
any more: that is, every chain that loaded it passed through a removed edge
(the removed edges dominate it). Importing `a.b.c` also needs `a.b` and `a`,
so every module has an implicit edge to its parent package.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..model import Cost, ImportReport


MAIN = "__main__"   # a script target's own code: not a module the probe records
# Private bytes per traced byte: pymalloc rounds every request up to 16 bytes and
# keeps headers per pool. Deferring pure-Python packages of the corpus (redis,
# dns.resolver, webauthn, text_unidecode) freed 1.05 to 1.2 times their traced bytes.
ALLOCATOR_OVERHEAD = 1.1


@dataclass(slots=True)
class ImportGraph:
    modules: dict          # name -> Module
    successors: dict       # name -> set of names it imports
    roots: set             # modules loaded by the entry point itself
    order: dict = field(default_factory=dict)   # successors sorted once, for every walk

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportGraph:
        """The boot's import graph.

        Roots are what the entry point itself loaded (a module whose importer is
        not a module: the boot's own code, or the interpreter before the probe
        started), however many other modules import it too; a script's
        `__main__` is a root whose imports are edges like any module's.
        """
        modules = report.by_name()
        successors: dict[str, set[str]] = {name: set() for name in modules}
        has_importer: set[str] = set()
        roots = {name for name, module in modules.items() if module.importer is None}
        for edge in report.edges:
            if edge.imported not in modules:
                continue
            if edge.importer in modules or edge.importer == MAIN:
                successors.setdefault(edge.importer, set()).add(edge.imported)
                has_importer.add(edge.imported)
            else:
                roots.add(edge.imported)   # imported by code loaded before the probe
        if MAIN in successors:
            roots.add(MAIN)
        for name in modules:
            package = name.rpartition(".")[0]
            if package in modules:
                successors[name].add(package)
        roots |= {name for name in modules if name not in has_importer}
        return cls(modules, successors, roots)

    def reachable(self, removed: set[tuple[str, str]] = frozenset()) -> dict[str, str | None]:
        """Every module still loaded without the removed edges, with who reached it first."""
        if not self.order:   # the walks are many (one per candidate): sort once
            self.order = {name: tuple(sorted(names)) for name, names in self.successors.items()}
            self.order[None] = tuple(sorted(self.roots))
        reached: dict[str, str | None] = {root: None for root in self.order[None]}
        queue = deque(self.order[None])
        while queue:
            name = queue.popleft()
            for imported in self.order.get(name, ()):
                if imported not in reached and (name, imported) not in removed:
                    reached[imported] = name
                    queue.append(imported)
        return reached

    def savings(self, removed: set[tuple[str, str]]) -> tuple[Cost, list[str], dict]:
        """The cost of the modules that disappear, their names, and what still loads."""
        reached = self.reachable(removed)
        gone = [name for name in self.modules if name not in reached]
        total = Cost()
        for name in gone:
            total = total + self.modules[name].self_cost
        return with_traced_floor(total), gone, reached


def with_traced_floor(cost: Cost) -> Cost:
    """`cost` of modules that leave startup, its private part at least what their
    Python objects take.

    Resident memory grows in steps (pymalloc's arenas, the C heap): a module's own
    RSS is the pages first touched while it loaded, not what it allocated, and an
    allocation that fits in pages touched earlier shows in no module's RSS. It
    leaves with the module all the same, and later modules then touch fewer new
    pages. Its traced bytes, plus the allocator's own overhead on them, are
    what it frees at least (a boot without tracemalloc has none to add).
    """
    floor = int(cost.tracemalloc_bytes * ALLOCATOR_OVERHEAD)
    if floor <= cost.rss_anon_bytes:
        return cost
    return Cost(floor, cost.rss_file_bytes, cost.tracemalloc_bytes, cost.time_ns)


def importers(graph: ImportGraph, reached: dict, removed: set, name: str) -> list[str]:
    """The still-loaded modules that import `name` directly (not its own submodules)."""
    return sorted(other for other in reached
                  if name in graph.successors.get(other, ()) and (other, name) not in removed
                  and not other.startswith(name + "."))


def loaded_by(reached: dict[str, str | None], name: str) -> str | None:
    """The first module outside `name`'s own package on the path that still loads it."""
    top = name.partition(".")[0]
    current, last, seen = reached.get(name), None, set()
    while current is not None and current not in seen:
        seen.add(current)
        if current.partition(".")[0] != top:
            return current
        last, current = current, reached.get(current)
    return last
