"""Rank the project's own imports: which heavy ones can be deferred, and what each saves.

A candidate is `safe` only when deferring its safe import sites takes it out of
startup; candidates that only other safe candidates keep loading are judged
together with them. Savings are ranked by private (anonymous) bytes, the part
every worker pays again; shared bytes are shown beside them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..model import (Confirmation, Cost, CoverageEvidence, Deferral, ImportReport,
                     RankedCandidate, Ranking, SiteJudgement, Uses)
from ..units import mib
from . import reasons
from .graph import MAIN, ImportGraph, importers, loaded_by
from .references import external_references
from .safety import SiteVerdict, blocked, judge
from .sources import SourceTree
from .submodules import reached_paths
from .usage import Binding, FileUsage, ImportStatement

SAFE, UNSAFE, NO_GAIN = "safe", "unsafe", "no-gain"
REFUTED = "refuted"      # safe by the analysis, but a what-if boot disagreed
MIN_SAVINGS = 2**20   # private bytes per worker a row needs to be shown by default


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
                             self.verdict.reason, self.verdict.code)


@dataclass(slots=True)
class Candidate:
    module: str
    distribution: str | None
    kind: str
    cumulative: Cost
    sites: list[Site]
    verdict: str = SAFE
    reason: str = ""
    code: str | None = None        # the reason's code (reasons.py), unless safe
    savings: Cost = field(default_factory=Cost)
    potential: Cost = field(default_factory=Cost)   # if every site could be deferred
    modules_saved: int = 0
    loaded_by: str | None = None
    style: str = "local"
    coverage: CoverageEvidence | None = None
    notable: bool = True           # worth a row in the table (all are in the JSON)
    internal: bool = False         # its own package loads it too: no choice of the user's
    together_with: list[str] = field(default_factory=list)   # safe only if these go too
    confirmation: Confirmation | None = None   # a what-if boot's word on it

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
            reason=self.reason, code=self.code, together_with=self.together_with,
            savings=self.savings, potential=self.potential, modules_saved=self.modules_saved,
            loaded_by=self.loaded_by, uses=self.uses(), style=self.style,
            notable=self.notable, cumulative_rss_bytes=self.cumulative.rss_bytes,
            coverage=self.coverage, confirmation=self.confirmation)


def collect_sites(report: ImportReport, tree: SourceTree) -> dict[str, list[Site]]:
    """Every first-party import statement that loads a module at startup, by module."""
    references = external_references(tree)
    loaded = report.by_name()
    ran_at_startup = {(e.site.file, e.site.line) for e in report.edges if e.site}
    sites: dict[str, list[Site]] = defaultdict(list)
    for usage in tree.files:
        importer = _module_of(usage, report)
        if importer is None:
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
                                          importer, [target], statement, verdict,
                                          bindings))
    return sites


def _module_of(usage: FileUsage, report: ImportReport) -> str | None:
    """The name the boot loaded this file as (`__main__` for a script target), if it did."""
    if report.target == f"script:{usage.path}":
        return MAIN
    return usage.module if report.module(usage.module) is not None else None


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


class DeferralGraph:
    """What deferring some of the project's import statements takes out of startup.

    An import edge goes only if no statement that stays (another import of the
    same module in the same file, say) makes it too.
    """

    def __init__(self, report: ImportReport, graph: ImportGraph, sites: list[Site]):
        self.graph = graph
        self.sites = sites
        by_line: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        root = report.project.rstrip("/") + "/"
        for edge in report.edges:
            if edge.site and edge.site.file.startswith(root):
                by_line[(edge.site.file[len(root):], edge.site.line)].append(
                    (edge.importer, edge.imported))
        # (file, line, module) -> the edges that statement makes to load that module
        self.edges = {(site.file, site.line, target): _site_edges(site, target, by_line)
                      for site in sites for target in site.targets}
        # Every such statement runs at startup, so its edge is real even where the boot
        # did not record it (an import in ready() of a module loaded already: no load
        # to see, and no module-level statement to read).
        for edges in self.edges.values():
            for importer, imported in edges:
                if importer in graph.modules and imported in graph.modules:
                    graph.successors.setdefault(importer, set()).add(imported)
        graph.order = {}   # sorted again with the added edges

    def removed(self, deferred: list[Site]) -> set[tuple[str, str]]:
        keys = {(site.file, site.line, target) for site in deferred for target in site.targets}
        removed = set().union(*(self.edges[key] for key in keys if key in self.edges))
        for key, edges in self.edges.items():
            if key not in keys:
                removed -= edges
        return removed

    def savings(self, deferred: list[Site]) -> tuple[Cost, list[str], dict]:
        return self.graph.savings(self.removed(deferred))


def _key(site: Site) -> tuple[str, int]:
    return (site.file, site.line)


def _site_edges(site: Site, target: str, by_line: dict) -> set[tuple[str, str]]:
    edges = {(site.importer, target)}
    for line in range(site.line, site.end_line + 1):
        edges.update(edge for edge in by_line.get((site.file, line), ())
                     if _related(edge[1], target))
    return edges


def all_sites(sites_by_target: dict[str, list[Site]]) -> list[Site]:
    """Every statement once (merged over the modules it loads)."""
    found: dict[tuple[str, int], Site] = {}
    for sites in sites_by_target.values():
        for site in sites:
            key = _key(site)
            found[key] = _merge(found[key], site) if key in found else site
    return [found[key] for key in sorted(found)]


def rank(report: ImportReport, tree: SourceTree, *, target_python: str | None = None,
         executed_lines: dict[str, set[int]] | None = None,
         min_savings: int = MIN_SAVINGS) -> list[Candidate]:
    """Candidates for deferral, most private savings first; then no-gain and unsafe ones."""
    graph = ImportGraph.from_report(report)
    modules = report.by_name()
    sites_by_target = collect_sites(report, tree)
    deferral = DeferralGraph(report, graph, all_sites(sites_by_target))
    lazy_ok = version_tuple(target_python or report.python) >= (3, 15)

    candidates = []
    for name in sorted(sites_by_target):
        module = modules[name]
        sites = _sites_for(name, sites_by_target)
        if _same_sites_as_package(name, sites, sites_by_target):
            continue   # `from pkg import sub`: reported once, as pkg
        if module.kind == "first-party" and not any(
                site.verdict.code == reasons.SIDE_EFFECT_IN_FUNCTION.code for site in sites):
            continue   # the project's own modules are reported through what they import
        candidates.append(Candidate(name, module.distribution, module.kind, module.cumulative,
                                    sites))

    _judge(candidates, deferral)
    _keep_reached_submodules(candidates, deferral, reached_paths(tree))
    for candidate in candidates:
        if candidate.verdict == SAFE:
            styles = {site.verdict.style for site in candidate.safe_sites}
            candidate.style = ("type-checking" if styles == {"type-checking"}
                               else "lazy" if lazy_ok else "local")
        if executed_lines is not None:
            candidate.coverage = _coverage(candidate, tree.root, executed_lines)

    _weigh(candidates, deferral, min_savings)
    order = {SAFE: 0, REFUTED: 1, NO_GAIN: 2, UNSAFE: 3}
    candidates.sort(key=lambda c: (order[c.verdict], -c.savings.rss_anon_bytes,
                                   -c.potential.rss_anon_bytes,
                                   -c.cumulative.rss_anon_bytes, c.module))
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


def safe_sites(candidates: list[Candidate]) -> list[Site]:
    return [site for c in candidates if c.verdict == SAFE for site in c.safe_sites]


def _judge(candidates: list[Candidate], deferral: DeferralGraph) -> None:
    """Safe, no-gain or unsafe, and what each safe one saves.

    All candidates with a safe site are deferred together; those still loaded
    then are no-gain (deferring fewer keeps them loaded all the more), and the
    rest are tried again until every one left disappears. Each safe candidate
    saves what it adds to the candidates it needs deferred with it.
    """
    pool = []
    for candidate in candidates:
        if candidate.safe_sites:
            pool.append(candidate)
            continue
        site = candidate.sites[0]
        candidate.verdict, candidate.code = UNSAFE, site.verdict.code
        candidate.reason = f"{site.file}:{site.line}: {site.verdict.reason}"
    while pool:
        removed = deferral.removed([site for c in pool for site in c.safe_sites])
        reached = deferral.graph.reachable(removed)
        still = [c for c in pool if c.module in reached]
        if not still:
            break
        for candidate in still:
            _no_gain(candidate, deferral.graph, reached, removed)
        pool = [c for c in pool if c not in still]
    for candidate in pool:
        needs = _needs(candidate, pool, deferral)
        base = [site for c in needs for site in c.safe_sites]
        without, gone_without, _ = deferral.savings(base)
        together, gone, _ = deferral.savings(base + candidate.safe_sites)
        candidate.savings = together - without
        candidate.modules_saved = len(gone) - len(gone_without)
        candidate.together_with = sorted(c.module for c in needs)


def _no_gain(candidate: Candidate, graph: ImportGraph, reached: dict, removed: set) -> None:
    name = candidate.module
    direct = importers(graph, reached, removed, name)
    top = name.partition(".")[0]
    # Name the loader the user cannot change first: another package, not the project.
    outside = [m for m in direct if m in graph.modules and graph.modules[m].kind != "first-party"
               and m.partition(".")[0] != top]
    loader = (outside or direct or [loaded_by(reached, name)])[0]
    candidate.internal = any(m.partition(".")[0] == top for m in direct)
    unsafe = [site for site in candidate.sites if not site.verdict.safe
              and site.importer == loader]
    candidate.verdict, candidate.loaded_by = NO_GAIN, loader
    if unsafe:
        site = unsafe[0]
        candidate.code = reasons.KEPT_BY_PROJECT.code
        candidate.reason = reasons.KEPT_BY_PROJECT.format(
            loader=_shown(loader), site=f"{site.file}:{site.line}", why=site.verdict.reason)
    else:
        candidate.code = reasons.LOADED_ANYWAY.code
        candidate.reason = reasons.LOADED_ANYWAY.format(
            loader=_shown(loader) if loader else "the boot itself")


def _shown(module: str | None) -> str:
    return "the script" if module == MAIN else module or "the boot itself"


def _needs(candidate: Candidate, pool: list[Candidate], deferral: DeferralGraph) -> list[Candidate]:
    """The other safe candidates that must be deferred too for this one to go."""
    others = [c for c in pool if c is not candidate]
    needs: list[Candidate] = []
    for _ in range(len(pool)):
        sites = [site for c in needs + [candidate] for site in c.safe_sites]
        reached = deferral.graph.reachable(deferral.removed(sites))
        if candidate.module not in reached:
            return needs
        loader = _loading_candidate(candidate.module, reached, others, needs)
        if loader is None:
            break
        needs.append(loader)
    return others


def _loading_candidate(name: str, reached: dict, pool: list[Candidate],
                       taken: list[Candidate]) -> Candidate | None:
    """The first candidate of `pool` on the chain that still loads `name`."""
    current, seen = reached.get(name), set()
    while current is not None and current not in seen:
        seen.add(current)
        for other in pool:
            if other not in taken and (current == other.module
                                       or current.startswith(other.module + ".")):
                return other
        current = reached.get(current)
    return None


def _weigh(candidates: list[Candidate], deferral: DeferralGraph, min_savings: int) -> None:
    """Decide which candidates deserve a row: those saving `min_savings` private bytes,
    and those that would if their imports left alone could be moved (once every safe
    candidate is deferred)."""
    base = safe_sites(candidates)
    base_savings, _, _ = deferral.savings(base)
    for candidate in candidates:
        if candidate.verdict == SAFE:
            candidate.notable = candidate.savings.rss_anon_bytes >= min_savings
            continue
        with_it, _, _ = deferral.savings(base + candidate.sites)
        candidate.potential = with_it - base_savings
        candidate.notable = candidate.potential.rss_anon_bytes >= min_savings


def _keep_reached_submodules(candidates: list[Candidate], deferral: DeferralGraph,
                             reached: dict) -> None:
    """A site is unsafe when deferring it drops from startup a submodule that some
    module reaches as an attribute at import time (`pkg.sub.attr`) and does not load
    through its own imports: the edges say which site keeps it loaded. One site per
    round, until nothing such is dropped."""
    graph = deferral.graph
    paths = {}
    for path, users in reached.items():
        if path in graph.modules:
            relying = [where for where, own in users if path not in _reach(graph, own)]
            if relying:
                paths[path] = relying[0]
    while paths:
        safe = safe_sites(candidates)
        _, gone, _ = deferral.savings(safe)
        dropped = [name for name in gone if name in paths]
        if not dropped:
            return
        keeper = _keeper(dropped[0], safe, deferral) or [
            site for site in safe if dropped[0] in _reach(graph, site.targets)]
        if not keeper:
            return
        for site in keeper:
            site.verdict = blocked(reasons.DROPS_SUBMODULE, submodule=dropped[0],
                                   where=paths[dropped[0]]).verdict()
        for candidate in candidates:    # judged again, from the start
            candidate.verdict, candidate.reason, candidate.code = SAFE, "", None
            candidate.savings, candidate.modules_saved = Cost(), 0
            candidate.loaded_by, candidate.together_with = None, []
        _judge(candidates, deferral)


def _keeper(name: str, safe: list[Site], deferral: DeferralGraph) -> list[Site] | None:
    """The first site that, left in place, keeps `name` loaded."""
    for site in safe:
        _, gone, _ = deferral.savings([other for other in safe if other is not site])
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


def safe_sites_of(report: ImportReport, tree: SourceTree, names: list[str]) -> list[Site]:
    """The project's import statements of these modules that may be deferred."""
    sites_by_target = collect_sites(report, tree)
    return [site for name in names for site in _sites_for(name, sites_by_target)
            if site.verdict.safe]


def deferral_graph(report: ImportReport, tree: SourceTree) -> DeferralGraph:
    """What deferring any of the project's import statements takes out of startup."""
    return DeferralGraph(report, ImportGraph.from_report(report),
                         all_sites(collect_sites(report, tree)))


def estimate(report: ImportReport, tree: SourceTree, sites: list[Site],
             deferral: DeferralGraph | None = None) -> tuple[Cost, list[str]]:
    """What deferring these import statements together would save."""
    savings, gone, _ = (deferral or deferral_graph(report, tree)).savings(sites)
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


def refute(candidate: Candidate, confirmation: Confirmation) -> None:
    """A what-if boot did not confirm the candidate: it is not `safe` any more."""
    measured, estimated = confirmation.measured, confirmation.estimated
    if confirmation.error:
        what = f"did not boot ({confirmation.error})"
    elif confirmation.still_loaded:
        what = f"still loaded {', '.join(confirmation.still_loaded)}"
    else:
        what = (f"freed {mib(measured.rss_anon_bytes)} MiB private, not the "
                f"{mib(estimated.rss_anon_bytes)} MiB estimated")
    candidate.verdict, candidate.code = REFUTED, reasons.REFUTED.code
    candidate.reason = reasons.REFUTED.format(what=what)
    candidate.confirmation = confirmation


def ranking_of(report: ImportReport, tree: SourceTree, candidates: list[Candidate],
               min_savings: int = MIN_SAVINGS, together: Confirmation | None = None) -> Ranking:
    """The ranking section of the report, from ranked (and perhaps confirmed) candidates;
    `together` is the what-if boot of every safe one."""
    safe = [c for c in candidates if c.verdict == SAFE]
    savings, gone = estimate(report, tree, safe_sites(candidates))
    return Ranking([candidate.record() for candidate in candidates],
                   Deferral([c.module for c in safe], savings, len(gone), together),
                   min_savings, tree.skipped)
