"""Judge Limits against an ImportReport: one Result per limit, nothing printed."""

from __future__ import annotations

from ..analysis.chain import import_chain, short_path
from ..model import CheckOutcome, ImportReport, Margin, Projection, Result
from ..units import mib
from .baseline import compare
from .limits import MODULE, PACKAGE, PRIVATE, RSS, Limits, SizeLimit
from .measures import largest_packages, package_sums, project_site, rss_of


def run_check(report: ImportReport, limits: Limits, projection: Projection,
              baseline: ImportReport | None = None) -> CheckOutcome:
    """Every limit judged; the baseline is compared when one is given."""
    results = [size_result(report, limit, limits.tolerance) for limit in limits.sizes]
    results += [forbid_result(report, name) for name in limits.forbid]
    notes = []
    if baseline is not None:
        results += compare(report, baseline, limits.max_increase, limits.tolerance)
        if baseline.target != report.target:
            notes.append(f"the baseline measured {baseline.target}, this check "
                         f"{report.target}")
    return CheckOutcome(report.target, report.python, report.runs, results, limits.tolerance,
                        projection, baseline=limits.baseline,
                        baseline_updated=limits.update_baseline, notes=notes)


def measured(report: ImportReport, limit: SizeLimit) -> tuple[int, str]:
    """The figure a size limit is about, and what it is, for people."""
    if limit.measure in (RSS, PRIVATE):
        label = "private RSS" if limit.measure == PRIVATE else "startup RSS"
        return rss_of(report.totals, limit.measure == PRIVATE), f"{label} of one worker"
    if limit.measure == PACKAGE:
        size, count = package_sums(report).get(limit.name, (0, 0))
        if not count:
            return 0, f"package {limit.name}: not loaded"
        return size, f"package {limit.name}: self RSS of its {count} " \
                     f"module{'s' if count != 1 else ''}"
    assert limit.measure == MODULE
    module = report.module(limit.name)
    if module is None:
        return 0, f"module {limit.name}: not loaded"
    return module.cumulative.rss_bytes, f"module {limit.name}: cumulative RSS"


def size_result(report: ImportReport, limit: SizeLimit, tolerance: Margin) -> Result:
    value, what = measured(report, limit)
    allowed = tolerance.above(limit.max_bytes)
    ok = value <= allowed
    if ok:
        message = f"{what} {mib(value)} MiB, limit {mib(limit.max_bytes)} MiB"
    else:
        message = (f"{what} {mib(value)} MiB is over the limit of {mib(limit.max_bytes)} MiB "
                   f"({mib(allowed)} MiB with the {tolerance} tolerance)")
    result = Result(limit.check, "budget" if limit.name else limit.check, what, ok, message,
                    name=limit.name, measured_bytes=value, limit_bytes=limit.max_bytes,
                    allowed_bytes=allowed)
    if not ok:
        explain_size(report, limit, result)
    return result


def explain_size(report: ImportReport, limit: SizeLimit, result: Result) -> None:
    """Where the memory went: the largest packages, or how the budgeted one was loaded."""
    if limit.name is None:
        private = limit.measure == PRIVATE
        largest = ", ".join(f"{name} {mib(size)}"
                            for name, size in largest_packages(report, private))
        result.details.append(f"largest packages ({'private ' if private else ''}self RSS, "
                              f"MiB): {largest}")
        return
    if report.module(limit.name) is not None:
        result.chain = import_chain(report, limit.name)
        result.site = project_site(report, limit.name)


def forbid_result(report: ImportReport, name: str) -> Result:
    module = report.module(name)
    what = f"{name} not loaded at startup"
    if module is None or not module.loaded:
        return Result(f"forbid {name}", "forbid", what, True, f"{name} is not loaded at startup",
                      name=name, data={"loaded": False, "chain": []})
    chain = import_chain(report, name)
    links = chain.links
    by = ""
    if len(links) > 1:
        site = links[-1].site
        where = f" ({short_path(site.file, report.project)}:{site.line})" if site else ""
        by = f" by {links[-2].module}{where}"
    return Result(f"forbid {name}", "forbid", what, False,
                  f"{name} is forbidden, but loaded at startup{by}",
                  name=name, chain=chain, site=project_site(report, name),
                  data={"loaded": True})
