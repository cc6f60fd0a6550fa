"""Rank the project's own imports: which heavy ones can be deferred, and what each saves."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..model import (Cost, CoverageEvidence, Deferral, ImportReport, RankedCandidate, Ranking,
                     SiteJudgement, Uses)
from .graph import ImportGraph, importers, loaded_by
from .references import external_references
from .safety import SiteVerdict, judge
from .sources import SourceTree
from .submodules import reached_paths
from .usage import Binding, ImportStatement

SAFE, UNSAFE, NO_GAIN = "safe", "unsafe", "no-gain"
MIN_NOTABLE = 256 * 1024   # smaller candidates are left out of the table (not the JSON)


@dataclass(slots=True)
class Site:
    file: str                  # relative to the project
    line: int
    end_line: int
    importer: str              # the module the statement is in
    targets: list[str]         # the module of the statement's names judged here
    statement: ImportStatement
    verdict: SiteVerdict
    bindings: list[Binding] = field(default_factory=list)   # the names that load it

    def judgement(self) -> SiteJudgement:
        return SiteJudgement(self.file, self.line, SAFE if self.verdict.safe else UNSAFE,
                             self.verdict.reason)


@dataclass(slots=True)
class Candidate:
    module: str
    distribution: str | None
    kind: str
    cumulative: Cost
    sites: list[Site]
    verdict: str = SAFE
    reason: str = ""
    savings: Cost = field(default_factory=Cost)
    potential: Cost = field(default_factory=Cost)   # if every site could be deferred
    modules_saved: int = 0
    loaded_by: str | None = None
    style: str = "local"
    coverage: CoverageEvidence | None = None
    notable: bool = True           # worth a row in the table (all are in the JSON)
    internal: bool = False         # its own package loads it too: no choice of the user's

    @property
    def safe_sites(self) -> list[Site]:
        return [site for site in self.sites if site.verdict.safe]

    def uses(self) -> Uses:
        deferred = [(site.file, use) for site in self.safe_sites
                    for binding in site.bindings for use in binding.deferred_uses]
        return Uses(functions=len({(file, use.where) for file, use in deferred}),
                    call_sites=len(deferred),
                    files=sorted({file for file, _ in deferred}),
                    where=[f"{file}:{use.line} in {use.where}()" for file, use in deferred])

    def record(self) -> RankedCandidate:
        """The candidate as the report keeps it."""
        return RankedCandidate(
            module=self.module, distribution=self.distribution, kind=self.kind,
            sites=[site.judgement() for site in self.sites], verdict=self.verdict,
            reason=self.reason, savings=self.savings,
            potential_rss_bytes=self.potential.rss_bytes, modules_saved=self.modules_saved,
            loaded_by=self.loaded_by, uses=self.uses(), style=self.style,
            notable=self.notable, cumulative_rss_bytes=self.cumulative.rss_bytes,
            coverage=self.coverage)


def collect_sites(report: ImportReport, tree: SourceTree) -> dict[str, list[Site]]:
    """Every first-party import statement that loads a module at startup, by module."""
    references = external_references(tree)
    loaded = report.by_name()
    ran_at_startup = {(e.site.file, e.site.line) for e in report.edges if e.site}
    sites: dict[str, list[Site]] = defaultdict(list)
    for usage in tree.files:
        if usage.module not in loaded:
            continue   # not imported at startup (tests, scripts, unused modules)
        relative = str(Path(usage.path).relative_to(tree.root))
        for statement in usage.statements:
            if statement.future:
                continue
            if statement.function and not _ran(statement, usage.path, ran_at_startup):
                continue   # already deferred: the function did not run at startup
            for target, bindings in _targets(statement, loaded).items():
                verdict = judge(statement, usage, references, bindings or None)
                sites[target].append(Site(relative, statement.line, statement.end_line,
                                          usage.module, [target], statement, verdict,
                                          bindings))
    return sites


def _ran(statement: ImportStatement, path: str, ran: set) -> bool:
    return any((path, line) in ran for line in range(statement.line, statement.end_line + 1))


def _targets(statement: ImportStatement, loaded: dict) -> dict[str, list[Binding]]:
    """The loaded modules a statement imports, each with the names that load it."""
    targets: dict[str, list[Binding]] = {}
    for binding in statement.bindings:
        target = binding.imported if binding.imported in loaded else binding.module
        if target in loaded:
            targets.setdefault(target, []).append(binding)
    if statement.star:
        for module in statement.modules:
            if module in loaded:
                targets.setdefault(module, [])
    return targets


def _related(a: str, b: str) -> bool:
    """One module is the other or a package or submodule of it."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def removed_edges(report: ImportReport, sites: list[Site]) -> set[tuple[str, str]]:
    """The import edges that deferring these statements takes out of startup."""
    by_line: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    root = report.project.rstrip("/") + "/"
    for edge in report.edges:
        if edge.site and edge.site.file.startswith(root):
            by_line[(edge.site.file[len(root):], edge.site.line)].append(
                (edge.importer, edge.imported))
    removed = set()
    for site in sites:
        for line in range(site.line, site.end_line + 1):
            removed.update(edge for edge in by_line.get((site.file, line), ())
                           if any(_related(edge[1], target) for target in site.targets))
        removed.update((site.importer, target) for target in site.targets)
    return removed


def rank(report: ImportReport, tree: SourceTree, *, target_python: str | None = None,
         executed_lines: dict[str, set[int]] | None = None,
         min_size: int = MIN_NOTABLE) -> list[Candidate]:
    """Candidates for deferral, most savings first; then no-gain and unsafe ones by size."""
    graph = ImportGraph.from_report(report)
    modules = report.by_name()
    sites_by_target = collect_sites(report, tree)
    lazy_ok = version_tuple(target_python or report.python) >= (3, 15)

    candidates = []
    for name in sorted(sites_by_target):
        module = modules[name]
        sites = _sites_for(name, sites_by_target)
        if _same_sites_as_package(name, sites, sites_by_target):
            continue   # `from pkg import sub`: reported once, as pkg
        if module.kind == "first-party" and not any(
                "side effects" in site.verdict.reason for site in sites):
            continue   # the project's own modules are reported through what they import
        candidate = Candidate(name, module.distribution, module.kind, module.cumulative, sites)
        _judge_candidate(candidate, report, graph)
        candidates.append(candidate)
    _keep_reached_submodules(candidates, report, graph, reached_paths(tree))
    for candidate in candidates:
        if candidate.verdict == SAFE:
            styles = {site.verdict.style for site in candidate.safe_sites}
            candidate.style = ("type-checking" if styles == {"type-checking"}
                               else "lazy" if lazy_ok else "local")
        if executed_lines is not None:
            candidate.coverage = _coverage(candidate, tree.root, executed_lines)

    _weigh(candidates, report, graph, min_size)
    order = {SAFE: 0, NO_GAIN: 1, UNSAFE: 2}
    candidates.sort(key=lambda c: (order[c.verdict], -c.savings.rss_bytes,
                                   -c.cumulative.rss_bytes, c.module))
    return candidates


def _sites_for(name: str, sites_by_target: dict[str, list[Site]]) -> list[Site]:
    """Statements that load `name` itself or a submodule of it (which loads it too);
    one site per statement, judged over all its names that do."""
    found: dict[tuple[str, int], Site] = {}
    for target, sites in sites_by_target.items():
        if target == name or target.startswith(name + "."):
            for site in sites:
                key = (site.file, site.line)
                found[key] = _merge(found[key], site) if key in found else site
    return [found[key] for key in sorted(found)]


def _merge(a: Site, b: Site) -> Site:
    unsafe = [site.verdict for site in (a, b) if not site.verdict.safe]
    styles = {a.verdict.style, b.verdict.style}
    verdict = unsafe[0] if unsafe else SiteVerdict(
        True, style="local" if "local" in styles else "type-checking")
    return Site(a.file, a.line, a.end_line, a.importer, a.targets + b.targets, a.statement,
                verdict, a.bindings + [x for x in b.bindings if x not in a.bindings])


def _same_sites_as_package(name: str, sites: list[Site], sites_by_target: dict) -> bool:
    lines = {(site.file, site.line) for site in sites}
    package = name.rpartition(".")[0]
    while package:
        if package in sites_by_target and lines == {
                (site.file, site.line) for site in _sites_for(package, sites_by_target)}:
            return True
        package = package.rpartition(".")[0]
    return False


def _weigh(candidates: list[Candidate], report: ImportReport, graph: ImportGraph,
           min_size: int) -> None:
    """Decide which candidates deserve a row.

    An unsafe import is worth showing when rewriting it by hand would save memory
    once every safe candidate is deferred; a no-gain one when a different package
    keeps loading it (a package loading its own modules is no choice of the user's).
    """
    safe_sites = [site for c in candidates if c.verdict == SAFE for site in c.safe_sites]
    base = removed_edges(report, safe_sites)
    base_savings, _, _ = graph.savings(base)
    for candidate in candidates:
        if candidate.verdict == UNSAFE:
            with_it, _, _ = graph.savings(base | removed_edges(report, candidate.sites))
            candidate.potential = with_it - base_savings
            candidate.notable = candidate.potential.rss_bytes >= min_size
        elif candidate.verdict == NO_GAIN:
            candidate.notable = (candidate.loaded_by is not None and not candidate.internal
                                 and candidate.cumulative.rss_bytes >= min_size)


def _judge_candidate(candidate: Candidate, report: ImportReport, graph: ImportGraph) -> None:
    name = candidate.module
    safe = candidate.safe_sites
    if not safe:
        site = candidate.sites[0]
        candidate.verdict, candidate.reason = UNSAFE, f"{site.file}:{site.line}: " \
                                                      f"{site.verdict.reason}"
        return
    removed = removed_edges(report, safe)
    savings, gone, reached = graph.savings(removed)
    if name in reached:
        direct = importers(graph, reached, removed, name)
        top = name.partition(".")[0]
        # Name the loader the user cannot change first: another package, not the project.
        outside = [m for m in direct if graph.modules[m].kind != "first-party"
                   and m.partition(".")[0] != top]
        loader = (outside or direct or [loaded_by(reached, name)])[0]
        candidate.internal = any(m.partition(".")[0] == top for m in direct)
        unsafe = [site for site in candidate.sites if not site.verdict.safe
                  and site.importer == loader]
        candidate.verdict, candidate.loaded_by = NO_GAIN, loader
        candidate.reason = (f"loaded by {loader} ({unsafe[0].file}:{unsafe[0].line}: "
                            f"{unsafe[0].verdict.reason})" if unsafe
                            else f"loaded by {loader or 'the boot itself'}")
        return
    candidate.savings, candidate.modules_saved = savings, len(gone)


def _keep_reached_submodules(candidates: list[Candidate], report: ImportReport,
                             graph: ImportGraph, reached: dict) -> None:
    """A site is unsafe when deferring it drops from startup a submodule that some
    module reaches as an attribute at import time (`pkg.sub.attr`) and does not load
    through its own imports: the edges say which site keeps it loaded. One site per
    round, until nothing such is dropped."""
    paths = {}
    for path, users in reached.items():
        if path in graph.modules:
            relying = [where for where, own in users if path not in _reach(graph, own)]
            if relying:
                paths[path] = relying[0]
    if not paths:
        return
    while True:
        safe = [site for c in candidates if c.verdict == SAFE for site in c.safe_sites]
        _, gone, _ = graph.savings(removed_edges(report, safe))
        dropped = [name for name in gone if name in paths]
        if not dropped:
            return
        keeper = _keeper(dropped[0], safe, report, graph)
        if keeper is None:      # no single site keeps it: keep every one that reaches it
            keeper = [site for site in safe if dropped[0] in _reach(graph, site.targets)]
        for site in keeper:
            site.verdict = SiteVerdict(False, f"deferring it drops {dropped[0]} from startup, "
                                              f"which {paths[dropped[0]]} reaches as an "
                                              "attribute at import time")
        for candidate in candidates:
            if candidate.verdict == SAFE and any(site in keeper for site in candidate.sites):
                candidate.savings, candidate.modules_saved = Cost(), 0
                _judge_candidate(candidate, report, graph)
        if not keeper:
            return


def _keeper(name: str, safe: list[Site], report: ImportReport,
            graph: ImportGraph) -> list[Site] | None:
    """The first site that, left in place, keeps `name` loaded."""
    for site in safe:
        others = [other for other in safe if other is not site]
        _, gone, _ = graph.savings(removed_edges(report, others))
        if name not in gone:
            return [site]
    return None


def _reach(graph: ImportGraph, names: list[str]) -> set[str]:
    seen, stack = set(names), list(names)
    while stack:
        for imported in graph.successors.get(stack.pop(), ()):
            if imported not in seen:
                seen.add(imported)
                stack.append(imported)
    return seen


def safe_sites(report: ImportReport, tree: SourceTree, names: list[str]) -> list[Site]:
    """The project's import statements of these modules that may be deferred."""
    sites_by_target = collect_sites(report, tree)
    return [site for name in names for site in _sites_for(name, sites_by_target)
            if site.verdict.safe]


def estimate(report: ImportReport, tree: SourceTree, names: list[str]) -> tuple[Cost, list[str]]:
    """What deferring every safe site of these modules together would save."""
    safe = safe_sites(report, tree, names)
    savings, gone, _ = ImportGraph.from_report(report).savings(removed_edges(report, safe))
    return savings, gone


def _coverage(candidate: Candidate, root: Path,
              executed: dict[str, set[int]]) -> CoverageEvidence:
    """Did the functions that use the module ever run in the coverage data?"""
    functions: dict[str, bool] = {}
    for site in candidate.safe_sites:
        lines = executed.get(str((root / site.file).resolve()), set())
        for binding in site.bindings:
            for use in binding.deferred_uses:
                key = f"{site.file}:{use.where}"
                functions[key] = functions.get(key, False) or use.line in lines
    ran = sorted(key for key, did in functions.items() if did)
    return CoverageEvidence(len(functions), len(ran),
                            sorted(key for key, did in functions.items() if not did))


def version_tuple(text: str) -> tuple[int, int]:
    """'3.15.2' -> (3, 15); (0, 0) when it is not a version."""
    try:
        major, minor = text.split(".")[:2]
        return int(major), int(minor)
    except ValueError:
        return (0, 0)


def rank_report(report: ImportReport, tree: SourceTree, *, coverage: str | None = None,
                target_python: str | None = None) -> Ranking:
    """The ranking section of the report."""
    from .coverage_data import executed_lines

    executed = executed_lines(coverage) if coverage else None
    candidates = rank(report, tree, target_python=target_python, executed_lines=executed)
    safe = [c for c in candidates if c.verdict == SAFE]
    together, gone, _ = ImportGraph.from_report(report).savings(
        removed_edges(report, [site for c in safe for site in c.safe_sites]))
    return Ranking([candidate.record() for candidate in candidates],
                   Deferral([c.module for c in safe], together, len(gone)), tree.skipped)
