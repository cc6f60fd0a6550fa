"""A check's outcome as Markdown, for pull-request comments and job summaries."""

from __future__ import annotations

from tabulate import tabulate

from ..model import CheckOutcome
from .check_table import (COLALIGN, HEADERS, detail_lines, note_lines, projection_lines,
                          result_row)


def render(outcome: CheckOutcome, **_options) -> str:
    lines = [f"### lazyaudit check of `{outcome.target}`: {outcome.summary()}", ""]
    if outcome.results:
        rows = [result_row(result, fail="**FAIL**") for result in outcome.results]
        lines += [tabulate(rows, HEADERS, tablefmt="github", colalign=COLALIGN,
                           disable_numparse=True), ""]
    for result in outcome.failures:
        lines.append(f"**FAIL** `{result.check}`: {result.message}")
        details = detail_lines(result)
        if details:
            lines += ["", "```", *details, "```"]
        lines.append("")
    projection = projection_lines(outcome.projection)
    lines += [f"Python {outcome.python}; {projection[0]}", ""]
    lines += [f"- {line}" for line in projection[1:] + note_lines(outcome)]
    return "\n".join(lines) + "\n"
