"""What N workers of a pre-forking server (gunicorn, uWSGI) take together at startup.

Without preloading, every worker imports the app itself: file-backed pages (shared
libraries, mapped files) sit once in the page cache, anonymous pages are each
worker's own. With gunicorn --preload the master imports the app once and forks;
the workers then share all its pages copy-on-write until they write to them, and
CPython writes to most objects it touches (reference counts, GC bookkeeping), so
over hours much of that memory becomes private again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..model import ImportReport


def default_workers() -> tuple[int, str]:
    """gunicorn's suggestion for a start: 2 x cores + 1 (cores of this machine)."""
    cores = os.cpu_count() or 1
    return 2 * cores + 1, f"2 x {cores} cores + 1, gunicorn's suggestion"


@dataclass(slots=True, frozen=True)
class Projection:
    workers: int
    source: str          # where the count came from, for people
    shared_bytes: int    # file-backed RSS of one worker
    private_bytes: int   # anonymous RSS of one worker

    @property
    def total_bytes(self) -> int:
        """Without --preload: the shared pages once, the private ones in every worker."""
        return self.shared_bytes + self.workers * self.private_bytes

    @property
    def preload_fresh_bytes(self) -> int:
        """With --preload, right after the fork: one copy (the master's) shared by all."""
        return self.shared_bytes + self.private_bytes

    @property
    def preload_worn_bytes(self) -> int:
        """With --preload, once every page has been written: the master's copy plus one
        per worker."""
        return self.shared_bytes + (self.workers + 1) * self.private_bytes

    def to_json(self) -> dict:
        return {"workers": self.workers, "source": self.source,
                "shared_bytes": self.shared_bytes, "private_bytes": self.private_bytes,
                "total_bytes": self.total_bytes,
                "preload_fresh_bytes": self.preload_fresh_bytes,
                "preload_worn_bytes": self.preload_worn_bytes}


def project(report: ImportReport, workers: int, source: str) -> Projection:
    totals = report.totals
    return Projection(workers, source, totals.rss_file_bytes, totals.rss_anon_bytes)
