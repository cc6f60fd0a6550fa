"""The ranked candidates (imports worth deferring) as table rows and summary lines."""

from __future__ import annotations

from ..model import Confirmation, ImportReport, RankedCandidate, Ranking, WhatIf
from ..units import MIB, mib

HEADERS = ["module", "distribution", "saves MiB\nprivate (shared)", "import sites",
           "deferred uses", "verdict", "fix"]
MEASURED = "measured MiB\nprivate (shared)"   # a column when what-if boots confirmed them
SHOWN_POTENTIAL = MIB // 20    # "0 (x if moved)" from 0.05 MiB on


def headers(candidates: list[RankedCandidate]) -> list[str]:
    """The columns of candidate_rows: the measured drop only where boots measured one."""
    if not any(candidate.confirmation for candidate in candidates):
        return HEADERS
    return HEADERS[:3] + [MEASURED] + HEADERS[3:]


def candidate_rows(candidates: list[RankedCandidate], show_all: bool = False) -> list[list[str]]:
    measured = HEADERS != headers(candidates)
    rows = []
    for candidate in candidates:
        if not (show_all or candidate.notable):
            continue
        savings = candidate.savings
        potential = candidate.potential.rss_anon_bytes
        if candidate.verdict in ("safe", "refuted"):
            saves = f"{mib(savings.rss_anon_bytes)} ({mib(savings.rss_file_bytes)})"
        elif potential >= SHOWN_POTENTIAL:
            saves = f"0 ({mib(potential)} if moved)"
        else:
            saves = "0"
        sites = ", ".join(f"{site.file}:{site.line}" for site in candidate.sites[:3])
        if len(candidate.sites) > 3:
            sites += f" (+{len(candidate.sites) - 3})"
        verdict = candidate.verdict
        if candidate.together_with:
            verdict += f", with {', '.join(candidate.together_with)}"
        if candidate.code:
            verdict += f" ({candidate.code})"
        if candidate.reason:
            verdict += f": {candidate.reason}"
        fix = candidate.style if candidate.verdict == "safe" else "-"
        row = [candidate.module, candidate.distribution or candidate.kind, saves,
               sites, uses_text(candidate), verdict, fix]
        if measured:
            row.insert(3, measured_text(candidate))
        rows.append(row)
    return rows


def measured_text(candidate: RankedCandidate) -> str:
    confirmation = candidate.confirmation
    if confirmation is None:
        return "-"
    drop = confirmation.measured
    return f"{mib(drop.rss_anon_bytes)} ({mib(drop.rss_file_bytes)})"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def uses_text(candidate: RankedCandidate) -> str:
    """How many functions use it, and how many of them ran (with --coverage)."""
    used = plural(candidate.uses.functions, "function")
    if candidate.coverage:
        used += f", {candidate.coverage.ran} ran"
    return used


def empty_ranking(ranking: Ranking) -> str:
    if ranking.candidates:
        return (f"(no import would save {mib(ranking.min_savings_bytes)} MiB private per "
                "worker or more)")
    return "(no first-party import of a module loaded at startup)"


def summary_lines(report: ImportReport, show_all: bool = False) -> list[str]:
    """What the ranking and a what-if boot add below the tables."""
    lines = []
    if report.ranking is not None:
        ranking = report.ranking
        candidates, deferral = ranking.candidates, ranking.deferral
        hidden = sum(1 for c in candidates if not c.notable)
        if hidden and not show_all:
            lines.append(f"{plural(hidden, 'more candidate')} would save less than "
                         f"{mib(ranking.min_savings_bytes)} MiB private per worker, or "
                         "nothing: not shown (--all lists them; all are in --format json)")
        if deferral.modules:
            savings = deferral.savings
            lines.append(
                f"deferring all {plural(len(deferral.modules), 'safe candidate')} together "
                f"saves {mib(savings.rss_anon_bytes)} MiB private per worker (shared "
                f"{mib(savings.rss_file_bytes)} more), "
                f"{plural(deferral.modules_saved, 'module')}")
            if deferral.confirmation is not None:
                lines.append(confirmation_line(deferral.confirmation))
        elif candidates:
            lines.append("no import can be deferred safely")
    if report.what_if is not None:
        lines.append(what_if_line(report.what_if))
    return lines


def confirmation_line(confirmation: Confirmation) -> str:
    drop = confirmation.measured
    verdict = "confirmed" if confirmation.confirmed else "NOT confirmed"
    still = (f"; still loaded: {', '.join(confirmation.still_loaded)}"
             if confirmation.still_loaded else "")
    return (f"a what-if boot of {', '.join(confirmation.modules)} together (estimated "
            f"{mib(confirmation.estimated.rss_anon_bytes)} MiB private) measured "
            f"{mib(drop.rss_anon_bytes)} MiB private (shared {mib(drop.rss_file_bytes)} more): "
            f"{verdict}{still}")


def what_if_line(what_if: WhatIf) -> str:
    measured, estimated = what_if.measured_drop, what_if.estimated_drop
    ratio = (f"{measured.rss_bytes / estimated.rss_bytes:.2f}x the estimate"
             if estimated.rss_bytes > 0 else "nothing was estimated")
    still = what_if.still_loaded
    return (f"what-if --defer {','.join(what_if.modules)}: startup RSS "
            f"{mib(what_if.before_rss_bytes)} -> {mib(what_if.after_rss_bytes)} MiB; "
            f"measured drop {mib(measured.rss_bytes)} MiB (private "
            f"{mib(measured.rss_anon_bytes)}, shared {mib(measured.rss_file_bytes)}), "
            f"estimated {mib(estimated.rss_bytes)} MiB (private "
            f"{mib(estimated.rss_anon_bytes)}; {ratio})"
            + (f"; still loaded: {', '.join(still)}" if still else ""))
