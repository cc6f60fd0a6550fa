"""The report as one self-contained HTML page: an icicle chart of the import tree and
sortable tables. Script, style and data are inlined, so the page makes no request.

The data is compact JSON (module names once, integers, rows of fixed fields) that
the page's script (assets/page.js) reads; ROW_FIELDS below names the fields.
"""

from __future__ import annotations

import json
import re
from html import escape
from importlib.resources import files

from .. import __version__
from ..classify import FIRST_PARTY, STDLIB, THIRD_PARTY
from ..analysis.chain import short_path, stage_entry
from ..model import Cost, ImportReport, RankedCandidate
from .candidates import summary_lines, uses_text
from .table import package_totals, totals_lines

KINDS = [STDLIB, FIRST_PARTY, THIRD_PARTY]
# One row of "m" per module, in report order. Times are in microseconds.
ROW_FIELDS = ["parent", "kind", "stage", "cum_anon", "cum_file", "cum_traced", "cum_us",
              "self_anon", "self_file", "self_traced", "self_us", "distribution",
              "importer", "site_file", "site_line"]
PLACEHOLDER = re.compile(r"\{\{(title|style|script|data)\}\}")


def render(report: ImportReport, show_all: bool = False, **_options) -> str:
    assets = files(__package__) / "assets"
    parts = {
        "title": escape(f"lazyaudit: {report.target}"),
        "style": (assets / "page.css").read_text(encoding="utf-8"),
        "script": (assets / "page.js").read_text(encoding="utf-8"),
        "data": embed(page_data(report, show_all)),
    }
    template = (assets / "page.html").read_text(encoding="utf-8")
    # One pass, so text inside the data can never be taken for a placeholder.
    return PLACEHOLDER.sub(lambda found: parts[found.group(1)], template).rstrip("\n")


def embed(data: dict) -> str:
    """JSON that is safe inside <script>: no '<' can close the element or open a comment."""
    return json.dumps(data, separators=(",", ":")).replace("<", "\\u003c")


def cost_fields(cost: Cost) -> list[int]:
    return [cost.rss_anon_bytes, cost.rss_file_bytes, cost.tracemalloc_bytes,
            cost.time_ns // 1000]


def page_data(report: ImportReport, show_all: bool) -> dict:
    names = [module.name for module in report.modules]
    position = {name: i for i, name in enumerate(names)}
    stages = list(report.stages) or sorted({m.stage for m in report.modules})
    stage_position = {stage: i for i, stage in enumerate(stages)}
    strings: dict[str, int] = {}   # distributions and file names, sent once each

    def string(text: str | None) -> int:
        return -1 if text is None else strings.setdefault(text, len(strings))

    rows = []
    for module in report.modules:
        if module.stage not in stage_position:     # a stage the report did not list
            stage_position[module.stage] = len(stages)
            stages.append(module.stage)
        site = module.import_site
        rows.append([
            position.get(module.parent, -1),
            KINDS.index(module.kind) if module.kind in KINDS else 2,
            stage_position[module.stage], *cost_fields(module.cumulative),
            *cost_fields(module.self_cost), string(module.distribution),
            position.get(module.importer, -1),
            string(short_path(site.file, report.project)) if site else -1,
            (site.line or 0) if site else 0,
        ])
    return {
        "version": __version__, "target": report.target, "python": report.python,
        "lines": totals_lines(report) + summary_lines(report, show_all),
        "traced": report.tracemalloc, "kinds": KINDS,
        "stages": [[stage, stage_entry(report, stage)] for stage in stages],
        "names": names, "strings": list(strings), "fields": ROW_FIELDS, "m": rows,
        "candidates": [candidate_row(c) for c in (report.ranking.candidates
                                                  if report.ranking else [])],
        "packages": package_rows(report),
        "show_all": show_all,
    }


def candidate_row(candidate: RankedCandidate) -> list:
    """module, verdict, reason, saves (private, shared, traced, us), modules saved,
    potential RSS if moved by hand, import sites, uses, fix, notable."""
    savings = candidate.savings
    sites = [f"{site.file}:{site.line}" for site in candidate.sites]
    return [
        candidate.module, candidate.verdict, candidate.reason,
        savings.rss_anon_bytes, savings.rss_file_bytes, savings.tracemalloc_bytes,
        savings.time_ns // 1000, candidate.modules_saved, candidate.potential.rss_bytes,
        ", ".join(sites), uses_text(candidate),
        candidate.style if candidate.verdict == "safe" else "", candidate.notable,
    ]


def package_rows(report: ImportReport) -> list[list]:
    """package, kind, modules, cumulative (4 fields), self (4 fields)."""
    return [[name, kind, count, *cost_fields(cumulative), *cost_fields(self_cost)]
            for name, (kind, cumulative, self_cost, count) in package_totals(report).items()]
