"""The ranked candidates (imports worth deferring) as table rows and summary lines."""

from __future__ import annotations

from ..model import ImportReport, RankedCandidate, WhatIf
from ..units import mib

HEADERS = ["module", "distribution", "saves MiB\n(private/shared)", "import sites",
           "deferred uses", "verdict", "fix"]


def candidate_rows(candidates: list[RankedCandidate], show_all: bool = False) -> list[list[str]]:
    rows = []
    for candidate in candidates:
        if not (show_all or candidate.notable):
            continue
        savings = candidate.savings
        if candidate.verdict == "safe":
            saves = f"{mib(savings.rss_bytes)} ({mib(savings.rss_anon_bytes)}/" \
                    f"{mib(savings.rss_file_bytes)})"
        elif candidate.verdict == "unsafe" and candidate.potential_rss_bytes > 0:
            saves = f"0 ({mib(candidate.potential_rss_bytes)} if moved)"
        else:
            saves = "0"
        sites = ", ".join(f"{site.file}:{site.line}" for site in candidate.sites[:3])
        if len(candidate.sites) > 3:
            sites += f" (+{len(candidate.sites) - 3})"
        verdict = candidate.verdict
        if candidate.reason:
            verdict += f": {candidate.reason}"
        fix = candidate.style if candidate.verdict == "safe" else "-"
        rows.append([candidate.module, candidate.distribution or candidate.kind, saves,
                     sites, uses_text(candidate), verdict, fix])
    return rows


def uses_text(candidate: RankedCandidate) -> str:
    """How many functions use it, and how many of them ran (with --coverage)."""
    functions = candidate.uses.functions
    used = f"{functions} function{'s' if functions != 1 else ''}"
    if candidate.coverage:
        used += f", {candidate.coverage.ran} ran"
    return used


def summary_lines(report: ImportReport) -> list[str]:
    """What the ranking and a what-if boot add below the tables."""
    lines = []
    if report.ranking is not None:
        candidates = report.ranking.candidates
        deferral = report.ranking.deferral
        hidden = sum(1 for c in candidates if not c.notable)
        if hidden:
            lines.append(f"{hidden} smaller or framework-internal candidates not shown "
                         "(--all lists them; all are in --format json)")
        if deferral.modules:
            savings = deferral.savings
            lines.append(
                f"deferring all {len(deferral.modules)} safe candidates together saves "
                f"{mib(savings.rss_bytes)} MiB per worker (private "
                f"{mib(savings.rss_anon_bytes)}, shared {mib(savings.rss_file_bytes)}), "
                f"{deferral.modules_saved} modules")
        elif candidates:
            lines.append("no import can be deferred safely")
    if report.what_if is not None:
        lines.append(what_if_line(report.what_if))
    return lines


def what_if_line(what_if: WhatIf) -> str:
    measured, estimated = what_if.measured_drop, what_if.estimated_drop
    ratio = (f"{measured.rss_bytes / estimated.rss_bytes:.2f}x the estimate"
             if estimated.rss_bytes > 0 else "nothing was estimated")
    still = what_if.still_loaded
    return (f"what-if --defer {','.join(what_if.modules)}: startup RSS "
            f"{mib(what_if.before_rss_bytes)} -> {mib(what_if.after_rss_bytes)} MiB; "
            f"measured drop {mib(measured.rss_bytes)} MiB (private "
            f"{mib(measured.rss_anon_bytes)}, shared {mib(measured.rss_file_bytes)}), "
            f"estimated {mib(estimated.rss_bytes)} MiB ({ratio})"
            + (f"; still loaded: {', '.join(still)}" if still else ""))
