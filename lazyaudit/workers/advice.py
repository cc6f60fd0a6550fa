"""What the measured configurations say: the projection's error against each, the
cheapest configuration and the change that gets it, and the modules every worker
imports again after the fork. Pure: no printing, no processes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..model.check import Projection
from ..model.workers import Advice, Comparison, WorkersRun

GC_FREEZE_LINES = [
    "import gc\n",
    "\n",
    "gc.disable()   # no collection in the master: its objects stay untouched\n",
    "\n",
    "\n",
    "def pre_fork(server, worker):\n",
    "    gc.freeze()   # the master's objects out of every collection in the workers\n",
    "\n",
    "\n",
    "def post_fork(server, worker):\n",
    "    gc.enable()\n",
]
WARM_URLS_LINES = [
    "\n",
    "# Import the URLconf and every view in gunicorn's master (preload_app), so that\n",
    "# the workers share them instead of each importing them on its first request.\n",
    "from django.db import connections\n",
    "from django.urls import get_resolver\n",
    "\n",
    "get_resolver().url_patterns\n",
    "connections.close_all()   # no database connection shared across the fork\n",
]


def comparisons(runs: list[WorkersRun], projection: Projection) -> list[Comparison]:
    found = []
    for run in runs:
        preload = run.configuration.preload
        found.append(Comparison(
            run.configuration.name,
            projection.preload_fresh_bytes if preload else projection.total_bytes,
            projection.preload_worn_bytes if preload else projection.total_bytes,
            run.rounds[0].total("pss"), run.last.total("pss")))
    return found


def advise(runs: list[WorkersRun], project: Path, settings: str | None,
           conf: Path) -> Advice | None:
    """The cheapest configuration after the traffic, on Pss_Anon (Pss_File moves with
    whatever else maps the same libraries), against the first one run."""
    if len(runs) < 2:
        return None
    baseline = runs[0]
    cheapest = min(runs, key=lambda run: run.last.total("pss_anon"))
    saving = baseline.last.total("pss_anon") - cheapest.last.total("pss_anon")
    # Whole packages every worker imports after the fork (pandas, once `fix` deferred
    # it), not the submodules a framework imports lazily on its own.
    keep = [name for name in cheapest.loaded_again() if "." not in name] \
        if cheapest.configuration.preload else []
    return Advice(cheapest.configuration.name, baseline.configuration.name, saving,
                  saving / baseline.last.total("pss_anon") if saving else 0.0,
                  change(cheapest, project, settings, conf) if cheapest is not baseline else "",
                  keep)


def change(run: WorkersRun, project: Path, settings: str | None, conf: Path) -> str:
    """The configuration's changes as a unified diff: the gunicorn config file `conf`,
    and for --warm-urls the project's wsgi.py."""
    configuration = run.configuration
    added = []
    if configuration.preload:
        added += ["preload_app = True\n"]
    if configuration.gc_freeze:
        added += ["\n"] * bool(added) + GC_FREEZE_LINES
    diffs = [_diff(conf, added, project)] if added else []
    wsgi = wsgi_file(project, settings)
    if configuration.warm_urls and wsgi is not None:
        diffs.append(_diff(wsgi, WARM_URLS_LINES, project))
    return "".join(diffs)


def wsgi_file(project: Path, settings: str | None) -> Path | None:
    """The project's wsgi.py, beside its settings module (shop.settings: shop/wsgi.py)."""
    if not settings or "." not in settings:
        return None
    path = project.joinpath(*settings.split(".")[:-1], "wsgi.py")
    return path if path.is_file() else None


def _diff(path: Path, added: list[str], project: Path) -> str:
    try:
        before = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except OSError:
        before = []
    if before and not before[-1].endswith("\n"):
        before[-1] += "\n"
    try:
        name = str(path.relative_to(project))
    except ValueError:
        name = str(path)
    return "".join(difflib.unified_diff(before, before + added, f"a/{name}", f"b/{name}"))
