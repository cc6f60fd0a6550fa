"""What `lazyaudit workers` measured as one self-contained HTML page: per
configuration a chart of the total PSS and of each worker's USS over the requests
sent, and the tables of the text output. Inline SVG and style: no script, no request.
"""

from __future__ import annotations

from html import escape

from ..model.workers import WorkersReport, WorkersRun
from ..units import MIB
from .workers_table import render_markdown

WIDTH, HEIGHT, PAD = 640, 260, 48
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]
STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:72em}
svg{background:#fafafa;border:1px solid #ddd;margin:.5em 1em 1em 0}
text{font-size:11px}pre{background:#f5f5f5;padding:1em;overflow-x:auto;font-size:12px}
.legend span{margin-right:1em}"""


def render(report: WorkersReport, **_options) -> str:
    charts = []
    for run in report.runs:
        charts.append(f"<h2>{escape(run.configuration.name)}, "
                      f"{escape(run.configuration.size)}</h2>")
        charts.append(chart("total PSS (MiB) over the requests sent", total_series(run)))
        charts.append(chart("USS of each worker (MiB) over the requests sent",
                            worker_series(run)))
    if len(report.runs) > 1:
        charts.append("<h2>the configurations side by side</h2>")
        charts.append(chart("total PSS (MiB) over the requests sent",
                            [(run.configuration.name, total_series(run)[0][1])
                             for run in report.runs]))
    title = escape(f"lazyaudit workers: {report.target}")
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{STYLE}</style></head><body>"
            f"<h1>{title}</h1>{''.join(charts)}<h2>the figures</h2>"
            f"<pre>{escape(render_markdown(report))}</pre></body></html>")


def total_series(run: WorkersRun) -> list[tuple[str, list[tuple[int, float]]]]:
    points, sent = [], 0
    for round_ in run.rounds:
        sent += round_.requests
        points.append((sent, round_.total("pss") / MIB))
    return [("total PSS", points)]


def worker_series(run: WorkersRun) -> list[tuple[str, list[tuple[int, float]]]]:
    lines: dict[int, list[tuple[int, float]]] = {}
    sent = 0
    for round_ in run.rounds:
        sent += round_.requests
        for worker in round_.workers:
            lines.setdefault(worker.pid, []).append((sent, worker.uss / MIB))
    return [(f"pid {pid}", points) for pid, points in lines.items()]


def chart(title: str, series: list[tuple[str, list[tuple[int, float]]]]) -> str:
    """A line chart of (requests sent, MiB) per series, the y axis from zero."""
    xs = [x for _, points in series for x, _ in points] or [0]
    ys = [y for _, points in series for _, y in points] or [0]
    x_max, y_max = max(max(xs), 1), max(max(ys), 1) * 1.1

    def at(x, y):
        return (PAD + x / x_max * (WIDTH - 2 * PAD),
                HEIGHT - PAD + 8 - y / y_max * (HEIGHT - 2 * PAD))

    parts = [f'<svg width="{WIDTH}" height="{HEIGHT}" role="img" '
             f'aria-label="{escape(title)}"><text x="{PAD}" y="18">{escape(title)}</text>']
    x0, y0 = at(0, 0)
    x1, y1 = at(x_max, y_max)
    parts.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#999"/>'
                 f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="#999"/>')
    for fraction in (0, 0.5, 1):
        _, y = at(0, y_max * fraction)
        parts.append(f'<text x="4" y="{y:.0f}">{y_max * fraction:.0f}</text>')
    parts.append(f'<text x="{x1 - 30:.0f}" y="{y0 + 16:.0f}">{x_max}</text>')
    for index, (name, points) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (at(*point) for point in points))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                     f'points="{path}"><title>{escape(name)}</title></polyline>')
    parts.append("</svg>")
    legend = "".join(f'<span style="color:{COLOURS[i % len(COLOURS)]}">&#9632; '
                     f'{escape(name)}</span>' for i, (name, _) in enumerate(series))
    return "".join(parts) + f'<div class="legend">{legend}</div>'
