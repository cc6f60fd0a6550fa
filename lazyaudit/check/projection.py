"""A projection on paper of what N workers of a pre-forking server (gunicorn, uWSGI)
take together at startup, from one boot's private and shared RSS.

Without preloading, every worker imports the app itself: file-backed pages (shared
libraries, mapped files) sit once in the page cache, anonymous pages are each
worker's own. With gunicorn --preload the master imports the app once and forks;
the workers then share all its pages copy-on-write until they write to them, and
CPython writes to most objects it touches (reference counts, GC bookkeeping), so
over hours much of that memory becomes private again.
"""

from __future__ import annotations

import os

from ..model import ImportReport, Projection


def default_workers() -> tuple[int, str]:
    """gunicorn's suggestion for a start: 2 x cores + 1 (cores of this machine)."""
    cores = os.cpu_count() or 1
    return 2 * cores + 1, f"2 x {cores} cores + 1, gunicorn's suggestion"


def project(report: ImportReport, workers: int, source: str) -> Projection:
    totals = report.totals
    return Projection(workers, source, totals.rss_file_bytes, totals.rss_anon_bytes)
