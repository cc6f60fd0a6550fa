"""Compare a boot with a saved baseline report, and name what grew."""

from __future__ import annotations

from ..model import ImportReport, Margin, Result
from ..units import mib
from .measures import package_sums, project_site, rss_of

MEASURES = (("rss", "startup RSS", False), ("private", "private RSS", True))
SHOWN_GROWERS = 5
NOTABLE_GROWTH = 64 * 1024     # smaller changes are noise from page granularity


def compare(report: ImportReport, baseline: ImportReport, max_increase: Margin,
            tolerance: Margin) -> list[Result]:
    """Startup RSS and private RSS may each grow by `max_increase` over the baseline's
    (plus the tolerance)."""
    results = []
    for key, label, private in MEASURES:
        before, now = rss_of(baseline.totals, private), rss_of(report.totals, private)
        limit = max_increase.above(before)
        allowed = tolerance.above(limit)
        growers = growth(report, baseline, private)
        ok = now <= allowed
        if ok:
            change = f"{'+' if now >= before else '-'}{mib(abs(now - before))}"
            message = f"{label} {mib(now)} MiB, baseline {mib(before)} MiB ({change})"
        else:
            message = (f"{label} {mib(now)} MiB is {mib(now - before)} MiB above the "
                       f"baseline's {mib(before)} MiB; allowed +{max_increase} (up to "
                       f"{mib(allowed)} MiB with the {tolerance} tolerance)")
        result = Result(f"baseline {key}", "baseline", f"{label} vs the baseline "
                        f"({mib(before)} MiB + {max_increase})", ok, message,
                        measured_bytes=now, limit_bytes=limit, allowed_bytes=allowed,
                        data={"baseline_bytes": before, "growth": growers,
                              "modules": report.totals.modules,
                              "baseline_modules": baseline.totals.modules})
        if not ok:
            explain(report, baseline, growers, result)
        results.append(result)
    return results


def growth(report: ImportReport, baseline: ImportReport, private: bool) -> list[dict]:
    """Packages whose modules' self RSS grew most since the baseline; `new` when the
    baseline did not load them at all."""
    now, before = package_sums(report, private), package_sums(baseline, private)
    grown = []
    for name, (size, _) in now.items():
        delta = size - before.get(name, (0, 0))[0]
        if delta >= NOTABLE_GROWTH:
            grown.append({"package": name, "delta_bytes": delta, "new": name not in before})
    grown.sort(key=lambda entry: entry["delta_bytes"], reverse=True)
    return grown[:SHOWN_GROWERS]


def explain(report: ImportReport, baseline: ImportReport, growers: list[dict],
            result: Result) -> None:
    if growers:
        result.details.append("grew most: " + ", ".join(
            f"{entry['package']} +{mib(entry['delta_bytes'])} MiB"
            + (" (new at startup)" if entry["new"] else "") for entry in growers))
    added = {m.name for m in report.modules} - {m.name for m in baseline.modules}
    if added:
        result.details.append(f"{len(added)} module{'s' if len(added) != 1 else ''} loaded "
                              "that the baseline did not load")
    new = [entry["package"] for entry in growers if entry["new"]]
    if new:
        result.site = project_site(report, new[0])
