"""The report as Markdown, for pull-request comments and job summaries."""

from __future__ import annotations

from tabulate import tabulate

from ..model import ImportReport
from .table import MODULE_HEADERS, PACKAGE_HEADERS, module_rows, package_rows, totals_lines


def render(report: ImportReport, top: int = 25, by: str = "module") -> str:
    if by == "package":
        rows, headers = package_rows(report, top), PACKAGE_HEADERS
    else:
        rows, headers = module_rows(report, top), MODULE_HEADERS
    headers = [header.replace("\n", " ") for header in headers]
    lines = [f"### Startup imports of `{report.target}` (Python {report.python})", "",
             tabulate(rows, headers, tablefmt="github"), ""]
    lines += [f"- {line}" for line in totals_lines(report)]
    return "\n".join(lines) + "\n"
