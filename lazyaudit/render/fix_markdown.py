"""What `fix` did or would do, as Markdown for pull requests."""

from __future__ import annotations

from ..model import FixOutcome
from .fix_table import saves, shown_left_alone, total_line, verify_lines


def render(outcome: FixOutcome, show_all: bool = False, **_options) -> str:
    lines = [f"## lazyaudit fix (style {outcome.style})", ""]
    if outcome.deferred:
        lines += ["| import | module | change | saves per worker |", "|---|---|---|---|"]
        lines += [f"| `{d.file}:{d.line}` | {', '.join(d.modules)} | {d.change} | "
                  f"{saves(d.savings_rss_anon_bytes) or '-'} |" for d in outcome.deferred]
    else:
        lines.append("Nothing to defer.")
    shown = shown_left_alone(outcome, show_all)
    if shown:
        lines += ["", "**Left alone**", "", "| import | module | code | reason |",
                  "|---|---|---|---|"]
        lines += [f"| `{item.file}:{item.line}` | {item.module} | {item.code or ''} | "
                  f"{item.reason} |" for item in shown]
    if outcome.verify and outcome.verify.after is not None:
        lines += ["", *(f"    {line}" for line in verify_lines(outcome.verify))]
    lines += ["", total_line(outcome)]
    return "\n".join(lines)
