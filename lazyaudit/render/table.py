"""The report as plain-text tables: top modules or packages, then totals."""

from __future__ import annotations

from tabulate import tabulate

from ..model import Cost, ImportReport, Ranking
from ..units import mib, ms
from .candidates import headers as candidate_headers
from .candidates import candidate_rows, empty_ranking, summary_lines, what_if_line

MODULE_HEADERS = ["module", "kind", "stage", "cum RSS MiB\n(private/shared)",
                  "self RSS MiB\n(private/shared)", "tracemalloc MiB\ncum/self",
                  "time ms\ncum/self"]
PACKAGE_HEADERS = ["package", "kind", "modules", "cum RSS MiB\n(private/shared)",
                   "self RSS MiB\n(private/shared)", "tracemalloc MiB\ncum/self",
                   "time ms\ncum/self"]


def rss(cost: Cost) -> str:
    return f"{mib(cost.rss_bytes)} ({mib(cost.rss_anon_bytes)}/{mib(cost.rss_file_bytes)})"


def cost_columns(cumulative: Cost, self_cost: Cost, traced: bool) -> list[str]:
    tm = (f"{mib(cumulative.tracemalloc_bytes)}/{mib(self_cost.tracemalloc_bytes)}"
          if traced else "-")
    return [rss(cumulative), rss(self_cost), tm,
            f"{ms(cumulative.time_ns)}/{ms(self_cost.time_ns)}"]


def module_rows(report: ImportReport, top: int) -> list[list[str]]:
    # Equal memory (pages are 4 KiB): the module that took longer includes the others.
    ranked = sorted(report.modules, key=lambda m: (m.cumulative.rss_bytes, m.cumulative.time_ns),
                    reverse=True)
    return [[m.name, m.kind, m.stage] + cost_columns(m.cumulative, m.self_cost, report.tracemalloc)
            for m in ranked[:top]]


def package_rows(report: ImportReport, top: int) -> list[list[str]]:
    groups = package_totals(report)
    ranked = sorted(groups.items(), key=lambda item: item[1][1].rss_bytes, reverse=True)
    return [[name, kind, count] + cost_columns(cumulative, self_cost, report.tracemalloc)
            for name, (kind, cumulative, self_cost, count) in ranked[:top]]


def package_totals(report: ImportReport) -> dict[str, tuple[str, Cost, Cost, int]]:
    """Per package: kind, cumulative, self, module count.

    A package's self cost is the sum of its modules' self costs; its cumulative
    cost adds what its entry modules (those loaded from outside it) pulled in.
    """
    modules = report.by_name()
    groups: dict[str, list] = {}
    for module in report.modules:
        group = groups.setdefault(module.package, [module.kind, Cost(), Cost(), 0])
        group[2] = group[2] + module.self_cost
        group[3] += 1
        parent = modules.get(module.parent) if module.parent else None
        if parent is None or parent.package != module.package:
            group[1] = group[1] + module.cumulative
    return {name: tuple(group) for name, group in groups.items()}


def totals_lines(report: ImportReport) -> list[str]:
    totals = report.totals
    interpreter = totals.interpreter
    added = totals.rss_bytes - interpreter.rss_bytes
    lines = [
        f"startup RSS {mib(totals.rss_bytes)} MiB per worker "
        f"(private {mib(totals.rss_anon_bytes)}, shared {mib(totals.rss_file_bytes)}); "
        f"the bare interpreter {mib(interpreter.rss_bytes)} MiB, the boot added {mib(added)} MiB",
        f"{totals.modules} module{'s' if totals.modules != 1 else ''} loaded in "
        f"{ms(totals.time_ns)} ms"
        + (f"; tracemalloc saw {mib(totals.tracemalloc_bytes)} MiB" if report.tracemalloc else "")
        + (f"; median of {report.runs} runs" if report.runs > 1 else ""),
    ]
    lines += [f"warning: {warning}" for warning in report.warnings]
    return lines


def render(report: ImportReport, top: int = 25, by: str = "module", show_all: bool = False,
           tablefmt: str = "simple", **_options) -> str:
    if by == "package":
        table = tabulate(package_rows(report, top), PACKAGE_HEADERS, tablefmt=tablefmt)
    else:
        table = tabulate(module_rows(report, top), MODULE_HEADERS, tablefmt=tablefmt)
    if top:
        title = f"{report.target} on Python {report.python}: top {top} {by}s by cumulative RSS"
        lines = [title, "", table, ""] + totals_lines(report)
    else:   # --top 0: the totals alone
        lines = [f"{report.target} on Python {report.python}", ""] + totals_lines(report)
    if report.ranking is not None:
        lines += ["", render_candidates(report, show_all, tablefmt)]
    elif report.what_if is not None:
        lines += ["", what_if_line(report.what_if)]
    return "\n".join(lines)


def render_candidates(report: ImportReport, show_all: bool = False,
                      tablefmt: str = "simple", **_options) -> str:
    ranking = report.ranking or Ranking()
    rows = candidate_rows(ranking.candidates, show_all)
    columns = candidate_headers(ranking.candidates)
    widths = {"import sites": 40, "verdict": 60}
    title = "Imports in the project's code, ranked by what deferring them saves per worker"
    table = tabulate(rows, columns, tablefmt=tablefmt,
                     maxcolwidths=[widths.get(column) for column in columns]) if rows else \
        empty_ranking(ranking)
    return "\n".join([title, "", table, ""] + summary_lines(report, show_all))
