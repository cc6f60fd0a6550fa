"""What `lazyaudit requests` measured as one self-contained HTML page: charts of the
private RSS and of the traced bytes over the requests sent, one of the length of each
container that grew, then the figures of the Markdown output. No script, no request.
"""

from __future__ import annotations

from html import escape

from ..model.requests import RequestsReport
from ..units import MIB
from .requests_table import render_markdown
from .workers_html import STYLE, chart


def render(report: RequestsReport, **options) -> str:
    charts = [chart("private RSS (MiB) over the requests sent after the warm-up",
                    [("RSS private", [(r.requests, r.rss_anon_bytes / MIB)
                                      for r in report.rounds])])]
    if report.traced is not None:
        charts.append(chart("traced (KiB) since the warm-up, over the requests sent",
                            [("traced", [(r.requests, (r.traced_bytes or 0) / 1024)
                                         for r in report.rounds])]))
    grown = [state for state in report.state if state.verdict != "flat"]
    if grown:
        charts.append(chart("length of each container that grew, over the requests sent",
                            [(f"{state.name} ({state.verdict})",
                              [(r.requests, length or 0) for r, length
                               in zip(report.rounds, state.lengths)]) for state in grown]))
    title = escape(f"lazyaudit requests: {report.target}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{STYLE}</style></head><body>"
            f"<h1>{title}</h1>{''.join(charts)}<h2>the figures</h2>"
            f"<pre>{escape(render_markdown(report, **options))}</pre></body></html>")
