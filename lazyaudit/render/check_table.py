"""A check's outcome as plain text: one row per limit, what broke, the worker projection."""

from __future__ import annotations

from tabulate import tabulate

from ..model import CheckOutcome, Projection, Result
from ..units import mib
from .chain import chain_lines

HEADERS = ["check", "what", "measured MiB", "limit MiB", "verdict"]
COLALIGN = ("left", "left", "right", "right", "left")


def result_row(result: Result, fail: str = "FAIL") -> list[str]:
    if result.kind == "forbid":
        measured, limit = ("not loaded" if result.ok else "loaded"), "not loaded"
    elif result.kind == "max-growth-per-request":   # bytes per request: MiB would read 0.0
        measured, limit = f"{result.measured_bytes} B", f"{result.limit_bytes} B"
    else:
        measured, limit = mib(result.measured_bytes), mib(result.limit_bytes)
    return [result.check, result.what, measured, limit, "ok" if result.ok else fail]


def title(outcome: CheckOutcome) -> str:
    runs = f", median of {outcome.runs} runs" if outcome.runs > 1 else ""
    return f"lazyaudit check of {outcome.target} on Python {outcome.python}{runs}"


def projection_lines(projection: Projection) -> list[str]:
    p = projection
    return [
        f"startup memory of {p.workers} workers ({p.source}):",
        f"without --preload: shared {mib(p.shared_bytes)} MiB once + {p.workers} x private "
        f"{mib(p.private_bytes)} MiB = {mib(p.total_bytes)} MiB",
        f"with --preload: {mib(p.preload_fresh_bytes)} MiB right after the fork, since the "
        f"workers share the master's pages copy-on-write; up to {mib(p.preload_worn_bytes)} "
        "MiB as they write to them (reference counts, garbage collection)",
    ]


def note_lines(outcome: CheckOutcome) -> list[str]:
    lines = []
    if outcome.baseline_updated:
        lines.append(f"baseline written to {outcome.baseline}")
    lines += outcome.notes
    if any(result.allowed_bytes is not None for result in outcome.results):
        lines.append(f"tolerance {outcome.tolerance}: a size limit breaks only above the limit "
                     "plus the tolerance (--tolerance)")
    return lines


def detail_lines(result: Result) -> list[str]:
    """What explains a result: what grew, the largest packages, the import chain."""
    return result.details + (chain_lines(result.chain) if result.chain else [])


def render(outcome: CheckOutcome, **_options) -> str:
    lines = [title(outcome), ""]
    if outcome.results:
        lines += [tabulate([result_row(r) for r in outcome.results], HEADERS,
                           colalign=COLALIGN,
                           disable_numparse=True), ""]
    for result in outcome.failures:
        lines.append(f"FAIL {result.check}: {result.message}")
        lines += [f"  {detail}" for detail in detail_lines(result)]
        lines.append("")
    projection = projection_lines(outcome.projection)
    lines += [projection[0]] + [f"  {line}" for line in projection[1:]] + [""]
    lines += note_lines(outcome)
    lines.append(outcome.summary())
    return "\n".join(lines)
