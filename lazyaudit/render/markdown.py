"""The report as Markdown, for pull-request comments and job summaries."""

from __future__ import annotations

from tabulate import tabulate

from ..model import ImportReport, Ranking
from .candidates import headers as candidate_headers
from .candidates import candidate_rows, empty_ranking, summary_lines
from .table import MODULE_HEADERS, PACKAGE_HEADERS, module_rows, package_rows, totals_lines


def render(report: ImportReport, top: int = 25, by: str = "module",
           show_all: bool = False, **_options) -> str:
    if by == "package":
        rows, headers = package_rows(report, top), PACKAGE_HEADERS
    else:
        rows, headers = module_rows(report, top), MODULE_HEADERS
    headers = [header.replace("\n", " ") for header in headers]
    lines = [f"### Startup imports of `{report.target}` (Python {report.python})", ""]
    if top:
        lines += [tabulate(rows, headers, tablefmt="github"), ""]
    lines += [f"- {line}" for line in totals_lines(report)]
    if report.ranking is not None:
        lines += ["", render_ranking(report, show_all)]
    return "\n".join(lines) + "\n"


def render_ranking(report: ImportReport, show_all: bool = False, **_options) -> str:
    ranking = report.ranking or Ranking()
    rows = candidate_rows(ranking.candidates, show_all)
    headers = [header.replace("\n", " ") for header in candidate_headers(ranking.candidates)]
    lines = ["### Imports worth deferring", "",
             tabulate(rows, headers, tablefmt="github") if rows else empty_ranking(ranking), ""]
    lines += [f"- {line}" for line in summary_lines(report, show_all)]
    return "\n".join(lines) + "\n"
