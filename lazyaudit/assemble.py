"""Turn the probe's raw runs into one ImportReport.

RSS and time come from runs without tracemalloc (it inflates RSS by 40-60%);
tracemalloc figures come from their own runs. With several runs of a kind,
every figure is the median. The probe records the edges of first loads; the
edges to modules loaded already come from the source (source_edges.py).
"""

from __future__ import annotations

import os
import threading
from statistics import median

from .classify import classify, shadowed
from .model import Cost, Edge, ImportReport, ImportSite, Module, Totals
from .target import Target

STAGES = {"django": ["setup", "urls", "app"], "module": ["import"], "app": ["import"],
          "script": ["run"]}


def assemble(target: Target, rss_runs: list[dict], traced_runs: list[dict],
             static_edges: dict | None = None) -> ImportReport:
    """One report from the runs; `static_edges` is source_edges' result for the first
    run when it was computed already (see measure)."""
    first = rss_runs[0]
    interpreter = first["interpreter"]
    records, failed = _loaded_records(first["modules"])
    classify(records, interpreter, target.project)

    rss_values = _per_module(rss_runs, ("time_ns", "rss_anon_bytes", "rss_file_bytes"))
    traced_values = _per_module(traced_runs, ("tracemalloc_bytes",))
    modules = []
    for record in records:
        name = record["name"]
        site = record.get("import_site")
        modules.append(Module(
            name=name, file=record.get("file"), distribution=record["distribution"],
            kind=record["kind"], parent=record.get("parent"), stage=record["stage"],
            self_cost=_cost(rss_values, traced_values, name, "self"),
            cumulative=_cost(rss_values, traced_values, name, "cumulative"),
            importer=record.get("importer"),
            import_site=ImportSite(site["file"], site["line"]) if site else None,
            loaded=record.get("loaded", True),
        ))

    edges = {}
    for run in rss_runs:
        for importer, imported, file, line in run["edges"]:
            edges.setdefault((importer, imported), ImportSite(file, line) if file else None)
    if static_edges is None:
        static_edges = edges_from_source(target, first)
    for pair, (file, line) in static_edges.items():
        edges.setdefault(pair, ImportSite(file, line))

    warnings = []
    if first["rss_source"] == "ru_maxrss":
        warnings.append("no /proc/self/statm on this system: RSS is the peak from "
                        "getrusage() and cannot be split into private and shared")
    elif first["rss_source"] != "statm":
        warnings.append("this system offers no way to read resident memory: RSS figures "
                        "are zero; time and tracemalloc figures stand")
    warnings += shadowed(records, target.project)
    return ImportReport(
        python=interpreter["version"], target=target.describe(), project=str(target.project),
        totals=_totals(rss_runs, traced_runs, len(modules)),
        modules=modules,
        edges=[Edge(a, b, site) for (a, b), site in edges.items()],
        stages=STAGES[target.kind], runs=len(rss_runs), tracemalloc=bool(traced_runs),
        rss_source=first["rss_source"], warnings=warnings, failed_imports=failed,
    )


def edges_from_source(target: Target, run: dict) -> dict:
    """The import edges of one run's loaded modules (and a script's), read from source."""
    from .source_edges import source_edges

    loaded = {record["name"] for record in run["modules"] if record.get("loaded", True)}
    loaded.update(run.get("preloaded", ()))   # sys, os...: loaded before the boot
    stdlib = run["interpreter"].get("stdlib_dirs") or []
    modules = [(record["name"], record.get("file") or _frozen_source(record["name"], stdlib))
               for record in run["modules"] if record.get("loaded", True)]
    if target.kind == "script":
        modules.append(("__main__", target.value))
    version = tuple(int(part) for part in run["interpreter"]["version"].split("."))
    return source_edges(modules, loaded, version, scope=target.python)


def _frozen_source(name: str, stdlib_dirs: list[str]) -> str | None:
    """The source of a frozen standard library module (importlib.util, runpy... on
    Python 3.11+), which has no file of its own."""
    relative = name.replace(".", "/")
    for directory in stdlib_dirs:
        for candidate in (f"{directory}/{relative}.py", f"{directory}/{relative}/__init__.py"):
            if os.path.isfile(candidate):
                return candidate
    return None


def _loaded_records(records: list[dict]) -> tuple[list[dict], list[str]]:
    """One record per module that really loaded; the names of imports that failed.

    A module can be loaded twice (removed from sys.modules and imported again):
    the last load is the one that stayed.
    """
    loaded = {record["name"]: dict(record) for record in records if record.get("loaded", True)}
    failed = sorted({record["name"] for record in records} - set(loaded))
    parent_of_failed = {r["name"]: r.get("parent") for r in records if r["name"] in failed}
    for record in loaded.values():   # a module loaded while a failing one ran
        seen = set()
        while record.get("parent") in parent_of_failed and record["parent"] not in seen:
            seen.add(record["parent"])
            record["parent"] = parent_of_failed[record["parent"]]
    return list(loaded.values()), failed


def _per_module(runs: list[dict], keys: tuple[str, ...]) -> dict:
    """{(module, "self"|"cumulative", key): median over the runs that loaded it}."""
    samples: dict[tuple, list[int]] = {}
    for run in runs:
        for module in run["modules"]:
            for part in ("self", "cumulative"):
                for key in keys:
                    samples.setdefault((module["name"], part, key), []).append(module[part][key])
    return {key: int(median(values)) for key, values in samples.items()}


def _cost(rss_values: dict, traced_values: dict, name: str, part: str) -> Cost:
    return Cost(
        rss_anon_bytes=rss_values.get((name, part, "rss_anon_bytes"), 0),
        rss_file_bytes=rss_values.get((name, part, "rss_file_bytes"), 0),
        tracemalloc_bytes=traced_values.get((name, part, "tracemalloc_bytes"), 0),
        time_ns=rss_values.get((name, part, "time_ns"), 0),
    )


def _totals(rss_runs: list[dict], traced_runs: list[dict], module_count: int) -> Totals:
    def middle(runs, section, key):
        return int(median(run[section][key] for run in runs)) if runs else 0

    return Totals(
        rss_anon_bytes=middle(rss_runs, "final", "rss_anon_bytes"),
        rss_file_bytes=middle(rss_runs, "final", "rss_file_bytes"),
        tracemalloc_bytes=middle(traced_runs, "final", "tracemalloc_bytes"),
        time_ns=middle(rss_runs, "final", "time_ns"),
        modules=module_count,
        interpreter=Cost(rss_anon_bytes=middle(rss_runs, "baseline", "rss_anon_bytes"),
                         rss_file_bytes=middle(rss_runs, "baseline", "rss_file_bytes")),
    )


def measure(target: Target, *, repeat: int = 1, tracemalloc: bool = True,
            timeout: float | None = None, display=None) -> ImportReport:
    """Boot the target `repeat` times without tracemalloc, and as often with it.
    `display` (a progress.BootDisplay) shows progress and warnings."""
    from .runner import run_probe

    def boot(traced: bool) -> dict:
        return run_probe(target, tracemalloc=traced, timeout=timeout, display=display)

    rss_runs = [boot(False) for _ in range(repeat)]
    # Reading the edges from source overlaps the tracemalloc runs: this process
    # only waits for them.
    scanned: list[dict] = []

    def scan_sources():
        try:
            scanned.append(edges_from_source(target, rss_runs[0]))
        except Exception:
            pass   # assemble repeats the scan and lets the error through

    scan = threading.Thread(target=scan_sources, daemon=True)
    scan.start()
    try:
        traced_runs = [boot(True) for _ in range(repeat)] if tracemalloc else []
    finally:
        scan.join()
    return assemble(target, rss_runs, traced_runs, scanned[0] if scanned else None)
