"""The ranked candidates (imports worth deferring) as table rows and summary lines."""

from __future__ import annotations

from ..units import mib

HEADERS = ["module", "distribution", "saves MiB\nprivate (shared)", "import sites",
           "deferred uses", "verdict", "fix"]


def candidate_rows(candidates: list[dict], show_all: bool = False) -> list[list[str]]:
    rows = []
    for candidate in candidates:
        if not (show_all or candidate.get("notable", True)):
            continue
        savings = candidate["savings"]
        potential = candidate.get("potential_rss_anon_bytes", 0)
        if candidate["verdict"] == "safe":
            saves = f"{mib(savings['rss_anon_bytes'])} ({mib(savings['rss_file_bytes'])})"
        elif potential >= 0.05 * 2**20:
            saves = f"0 ({mib(potential)} if moved)"
        else:
            saves = "0"
        sites = ", ".join(f"{site['file']}:{site['line']}" for site in candidate["sites"][:3])
        if len(candidate["sites"]) > 3:
            sites += f" (+{len(candidate['sites']) - 3})"
        used = uses_text(candidate)
        verdict = candidate["verdict"]
        if candidate.get("together_with"):
            verdict += f", with {', '.join(candidate['together_with'])}"
        if candidate.get("code"):
            verdict += f" ({candidate['code']})"
        if candidate["reason"]:
            verdict += f": {candidate['reason']}"
        fix = candidate["style"] if candidate["verdict"] == "safe" else "-"
        rows.append([candidate["module"], candidate["distribution"] or candidate["kind"], saves,
                     sites, used, verdict, fix])
    return rows


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def uses_text(candidate: dict) -> str:
    """How many functions use it, and how many of them ran (with --coverage)."""
    functions = (candidate.get("uses") or {}).get("functions", 0)
    used = f"{functions} function{'s' if functions != 1 else ''}"
    if candidate.get("coverage"):
        used += f", {candidate['coverage']['ran']} ran"
    return used


def summary_lines(report_extra: dict, show_all: bool = False) -> list[str]:
    candidates = report_extra.get("candidates", [])
    deferral = report_extra.get("deferral") or {}
    lines = []
    hidden = sum(1 for c in candidates if not c.get("notable", True))
    if hidden and not show_all:
        threshold = mib(report_extra.get("min_savings_bytes", 2**20))
        lines.append(f"{hidden} more candidate{'s' if hidden != 1 else ''} would save less "
                     f"than {threshold} MiB private per worker, or nothing: not shown "
                     "(--all lists them; all are in --format json)")
    if deferral.get("modules"):
        savings = deferral["savings"]
        lines.append(
            f"deferring all {plural(len(deferral['modules']), 'safe candidate')} together saves "
            f"{mib(savings['rss_anon_bytes'])} MiB private per worker (shared "
            f"{mib(savings['rss_file_bytes'])} more), {plural(deferral['modules_saved'], 'module')}")
    elif candidates:
        lines.append("no import can be deferred safely")
    what_if = report_extra.get("what_if")
    if what_if:
        lines.append(what_if_line(what_if))
    return lines


def what_if_line(what_if: dict) -> str:
    measured, estimated = what_if["measured_drop"], what_if["estimated_drop"]
    ratio = (f"{measured['rss_bytes'] / estimated['rss_bytes']:.2f}x the estimate"
             if estimated["rss_bytes"] > 0 else "nothing was estimated")
    still = what_if.get("still_loaded") or []
    return (f"what-if --defer {','.join(what_if['modules'])}: startup RSS "
            f"{mib(what_if['before_rss_bytes'])} -> {mib(what_if['after_rss_bytes'])} MiB; "
            f"measured drop {mib(measured['rss_bytes'])} MiB (private "
            f"{mib(measured['rss_anon_bytes'])}, shared {mib(measured['rss_file_bytes'])}), "
            f"estimated {mib(estimated['rss_bytes'])} MiB (private "
            f"{mib(estimated['rss_anon_bytes'])}; {ratio})"
            + (f"; still loaded: {', '.join(still)}" if still else ""))
