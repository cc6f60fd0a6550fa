"""The what-if step: boot again with some modules deferred at the project's own import
sites, and set the real drop beside the ranking's estimate."""

from __future__ import annotations

from .analysis.rank import estimate
from .analysis.sources import SourceTree
from .assemble import measure
from .model import ImportReport, WhatIf
from .target import Target


def what_if(report: ImportReport, target: Target, tree: SourceTree, modules: tuple[str, ...],
            *, repeat: int = 1, tracemalloc: bool = True,
            timeout: float | None = None) -> WhatIf:
    """`report` is the boot as it is; the second boot defers `modules`."""
    deferred = measure(target, repeat=repeat, defer=modules, tracemalloc=tracemalloc,
                       timeout=timeout)
    estimated, _ = estimate(report, tree, list(modules))
    return WhatIf(
        modules=list(modules), before_rss_bytes=report.totals.rss_bytes,
        after_rss_bytes=deferred.totals.rss_bytes,
        measured_drop=report.totals.cost - deferred.totals.cost, estimated_drop=estimated,
        still_loaded=sorted(name for name in modules if deferred.module(name) is not None),
        sites=deferred.deferred_sites)
