"""The what-if step: boot what `fix` would write, and set the real drop beside the
ranking's estimate.

The boot runs a temporary copy of the project with the real rewrite applied (style
`local`, the safe sites of the named modules), so what it measures is exactly what
`fix` would leave. Files the rewrite does not touch are hard links (copies where
links cannot be made), so the copy costs little even for a large project.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

from .analysis.rank import estimate, safe_sites_of
from .analysis.sources import SourceTree, boot_roots, is_virtualenv
from .assemble import measure
from .codemod.plan import plan_from_sites
from .codemod.rewrite import FileChange, rewrite
from .model import Confirmation, Cost, DeferredSite, ImportReport, WhatIf
from .target import Target
from .units import MIB

CONFIRM_MARGIN = MIB // 2   # a drop within max(15%, this) of the estimate confirms it

# Never part of a boot; a copy of them would only cost time.
NOT_COPIED = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".tox", ".nox",
              ".mypy_cache", ".pytest_cache", ".ruff_cache"}


def what_if(report: ImportReport, target: Target, tree: SourceTree, modules: tuple[str, ...],
            *, sites: list | None = None, deferral=None, repeat: int = 1,
            tracemalloc: bool = True, timeout: float | None = None, display=None) -> WhatIf:
    """`report` is the boot as it is; the second boot is of the project with `sites`
    (by default the safe import sites of `modules`) deferred."""
    if sites is None:
        sites = safe_sites_of(report, tree, list(modules))
    changes, _ = rewrite(plan_from_sites(sites, tree), "local")
    with tempfile.TemporaryDirectory(prefix="lazyaudit-whatif-") as scratch:
        copy = Path(scratch) / tree.root.name
        copy_project(tree.root, copy, changes)
        deferred = measure(in_copy(target, report, tree.root, copy), repeat=repeat,
                           tracemalloc=tracemalloc, timeout=timeout, display=display)
    estimated, _ = estimate(report, tree, sites, deferral)
    return WhatIf(
        modules=list(modules), before_rss_bytes=report.totals.rss_bytes,
        after_rss_bytes=deferred.totals.rss_bytes,
        measured_drop=report.totals.cost - deferred.totals.cost, estimated_drop=estimated,
        still_loaded=sorted(name for name in modules if deferred.module(name) is not None),
        sites=[DeferredSite(site.importer, site.targets[0], site.file, site.line)
               for site in sites])


def copy_project(root: Path, copy: Path, changes: list[FileChange]) -> None:
    """`root` linked into `copy`, with the changed files written anew."""
    changed = {change.path.resolve(): change.after for change in changes}
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        subdirs[:] = [name for name in subdirs if name not in NOT_COPIED
                      and not is_virtualenv(here / name)]
        target_dir = copy / here.relative_to(root)
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in subdirs:
            if (here / name).is_symlink():
                os.symlink(os.readlink(here / name), target_dir / name)
        subdirs[:] = [name for name in subdirs if not (here / name).is_symlink()]
        for name in files:
            source, destination = here / name, target_dir / name
            if source.is_symlink():
                os.symlink(os.readlink(source), destination)
            elif source.resolve() in changed:
                destination.write_bytes(changed[source.resolve()])
                shutil.copymode(source, destination)
            else:
                link_or_copy(source, destination)


def link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def in_copy(target: Target, report: ImportReport, root: Path, copy: Path) -> Target:
    """The same boot, of the copy: its project directory, its script, and the copy's
    import roots first on sys.path (an editable install would otherwise load the
    project's own package from the original tree)."""
    script = target.value
    if target.kind == "script" and Path(script).is_relative_to(root):
        script = str(copy / Path(script).relative_to(root))
    roots = [str(copy / Path(folder).relative_to(root)) for folder in boot_roots(report)
             if Path(folder) != root and Path(folder).is_relative_to(root)]
    return dataclasses.replace(target, value=script, project=copy, path_first=tuple(roots))


def confirm(report: ImportReport, target: Target, tree: SourceTree, candidates: list, *,
            repeat: int = 1, timeout: float | None = None, display=None) -> Confirmation | None:
    """Boot what `fix` would write for each safe candidate worth a row (with the ones it
    needs), then for all of those together. A candidate whose boot still loads it, or
    frees more than max(15%, 0.5 MiB) more or less private memory than estimated, is
    refuted. Returns the boot of them all."""
    from .analysis.rank import SAFE, deferral_graph, refute
    from .runner import BootError

    by_name = {candidate.module: candidate for candidate in candidates}
    deferral = deferral_graph(report, tree)   # one graph for every estimate

    def boot(modules: list[str]) -> Confirmation:
        # The sites the ranking judged safe: those fix would rewrite.
        sites = [site for name in modules if name in by_name
                 for site in by_name[name].safe_sites]
        try:
            return judged(what_if(report, target, tree, tuple(modules), sites=sites,
                                  deferral=deferral, repeat=repeat, tracemalloc=False,
                                  timeout=timeout, display=display))
        except BootError as error:
            return Confirmation(list(modules), Cost(), Cost(), error=error.message)

    for candidate in candidates:
        if candidate.verdict == SAFE and candidate.notable:
            candidate.confirmation = boot([candidate.module, *candidate.together_with])
            if not candidate.confirmation.confirmed:
                refute(candidate, candidate.confirmation)
    shown = [c for c in candidates if c.verdict == SAFE and c.notable]
    together = list(dict.fromkeys(name for c in shown for name in [c.module, *c.together_with]))
    return boot(together) if together else None


def judged(result: WhatIf) -> Confirmation:
    estimated, measured = result.estimated_drop, result.measured_drop
    margin = max(0.15 * estimated.rss_anon_bytes, CONFIRM_MARGIN)
    close = abs(measured.rss_anon_bytes - estimated.rss_anon_bytes) <= margin
    measured = Cost(measured.rss_anon_bytes, measured.rss_file_bytes, 0, measured.time_ns)
    return Confirmation(result.modules, estimated, measured, result.still_loaded,
                        confirmed=close and not result.still_loaded)
