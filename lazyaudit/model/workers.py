"""What `lazyaudit workers` measured: for each server configuration, the memory of the
master and of every worker at ready and after each round of traffic, the requests
each worker served, the modules workers imported while serving, and the paper
projection beside it. Its JSON (`workers --format json`) is documented in
docs/workers.md; `schema` changes when a key changes meaning or goes away.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from .check import Projection

WORKERS_SCHEMA = 1

# The fields of /proc/PID/smaps_rollup a reading keeps, in bytes.
MEMORY_FIELDS = ("rss", "pss", "pss_anon", "pss_file", "uss", "shared", "swap")


def for_people(names) -> list[str]:
    """Module names in the order worth reading: the app's and third-party packages
    first, then the standard library, private (`_name`) modules last."""
    stdlib = getattr(sys, "stdlib_module_names", frozenset())
    return sorted(names, key=lambda name: (name.startswith("_"),
                                           name.partition(".")[0] in stdlib,
                                           "." in name, name))


@dataclass(slots=True)
class ProcessMemory:
    """One process at one checkpoint."""

    pid: int
    role: str                 # "master" | "worker" | "other"
    rss: int = 0
    pss: int = 0
    pss_anon: int = 0
    pss_file: int = 0
    uss: int = 0              # private clean + dirty: what ending this process frees
    shared: int = 0           # shared clean + dirty
    swap: int = 0
    requests: int | None = None   # served so far (workers), from lazyaudit's wrapper

    def to_json(self) -> dict:
        return {"pid": self.pid, "role": self.role,
                **{f"{name}_bytes": getattr(self, name) for name in MEMORY_FIELDS},
                "requests": self.requests}


@dataclass(slots=True)
class Round:
    """A checkpoint: `index` 0 is at ready, before any traffic."""

    index: int
    requests: int             # sent in this round
    seconds: float            # how long the round's traffic took
    statuses: dict[str, int]  # "200": count, "error": connections that failed
    processes: list[ProcessMemory]
    started: list[int] = field(default_factory=list)   # worker pids new since the last round
    ended: list[int] = field(default_factory=list)     # worker pids gone since the last round

    @property
    def workers(self) -> list[ProcessMemory]:
        return [process for process in self.processes if process.role == "worker"]

    def total(self, name: str = "pss") -> int:
        return sum(getattr(process, name) for process in self.processes)

    @property
    def requests_per_second(self) -> float | None:
        return self.requests / self.seconds if self.seconds > 0 else None

    def to_json(self) -> dict:
        return {"index": self.index, "requests": self.requests, "seconds": self.seconds,
                "requests_per_second": self.requests_per_second, "statuses": self.statuses,
                "started": self.started, "ended": self.ended,
                "totals": {f"{name}_bytes": self.total(name) for name in MEMORY_FIELDS},
                "processes": [process.to_json() for process in self.processes]}


@dataclass(slots=True)
class LateImport:
    """Modules a worker imported while serving one request, after it was ready."""

    pid: int
    path: str                 # the request that imported them
    modules: list[str]
    anon_bytes: int           # what the worker's anonymous memory grew by in that request

    @property
    def top(self) -> list[str]:
        """The modules whose parent package is not among them (pandas, not pandas.core)."""
        names = set(self.modules)
        return for_people(name for name in self.modules
                          if not any(name.startswith(other + ".") for other in names))

    def to_json(self) -> dict:
        return {"pid": self.pid, "path": self.path, "top": self.top,
                "modules": self.modules, "anon_bytes": self.anon_bytes}


@dataclass(slots=True)
class Configuration:
    """How the server was run."""

    server: str               # "gunicorn" | "uvicorn" | "granian"
    worker_class: str | None  # gunicorn's: "sync" | "gthread" | "uvicorn"
    workers: int
    threads: int | None = None
    preload: bool = False
    gc_freeze: bool = False
    warm_urls: bool = False
    interface: str = "wsgi"   # "wsgi" | "asgi"

    @property
    def name(self) -> str:
        parts = [self.server + (f" {self.worker_class}" if self.worker_class else "")]
        parts += [flag for flag, on in (("--preload", self.preload),
                                        ("--warm-urls", self.warm_urls),
                                        ("--gc-freeze", self.gc_freeze)) if on]
        return " ".join(parts) if len(parts) > 1 else parts[0] + " plain"

    @property
    def size(self) -> str:
        """'3 workers', '1 worker', with the threads each has when set."""
        text = f"{self.workers} worker{'s' if self.workers != 1 else ''}"
        if self.threads:
            text += f", {self.threads} thread{'s' if self.threads != 1 else ''} each"
        return text

    def to_json(self) -> dict:
        return {"name": self.name, "server": self.server, "worker_class": self.worker_class,
                "workers": self.workers, "threads": self.threads, "preload": self.preload,
                "gc_freeze": self.gc_freeze, "warm_urls": self.warm_urls,
                "interface": self.interface}


@dataclass(slots=True)
class WorkersRun:
    """One configuration, started, driven and stopped."""

    configuration: Configuration
    rounds: list[Round]
    late_imports: list[LateImport]
    warnings: list[str] = field(default_factory=list)
    memory_available: int | None = None    # MemAvailable (or --memory) before the start

    @property
    def last(self) -> Round:
        return self.rounds[-1]

    def fit(self) -> int | None:
        """How many workers like these fit in the memory there was: what is left after
        the master and other processes, over one worker's PSS after the traffic."""
        workers = self.last.workers
        if not workers or not self.memory_available:
            return None
        per_worker = sum(worker.pss for worker in workers) / len(workers)
        rest = self.last.total("pss") - sum(worker.pss for worker in workers)
        return max(int((self.memory_available - rest) // per_worker), 0) if per_worker else None

    def late_modules(self) -> dict[str, list[int]]:
        """Top-level late modules -> the worker pids that imported them."""
        found: dict[str, list[int]] = {}
        for late in self.late_imports:
            for name in late.top:
                if late.pid not in found.setdefault(name, []):
                    found[name].append(late.pid)
        return found

    def loaded_again(self) -> list[str]:
        """Modules that most workers imported after they were ready: each paid for its
        own copy. Under --preload, loading them in the master, before the fork, shares
        them."""
        workers = {process.pid for round_ in self.rounds for process in round_.workers}
        return for_people(name for name, pids in self.late_modules().items()
                          if len(pids) * 2 > len(workers) and not name.startswith("_"))

    def to_json(self) -> dict:
        return {"configuration": self.configuration.to_json(),
                "memory_available_bytes": self.memory_available, "workers_fit": self.fit(),
                "rounds": [round_.to_json() for round_ in self.rounds],
                "late_imports": [late.to_json() for late in self.late_imports],
                "loaded_again": self.loaded_again(), "warnings": self.warnings}


@dataclass(slots=True)
class Comparison:
    """A configuration's measured total PSS against the paper projection of `check
    --workers` (without preload: shared once plus private per worker; with preload:
    right after the fork, and once the workers have written to every page)."""

    configuration: str
    projected_ready: int
    projected_after: int
    measured_ready: int
    measured_after: int

    @staticmethod
    def error_of(projected: int, measured: int) -> float:
        """How far the projection was off, as a fraction of what was measured."""
        return (projected - measured) / measured if measured else 0.0

    @property
    def error_ready(self) -> float:
        return self.error_of(self.projected_ready, self.measured_ready)

    @property
    def error_after(self) -> float:
        return self.error_of(self.projected_after, self.measured_after)

    def to_json(self) -> dict:
        return {"configuration": self.configuration,
                "projected_ready_bytes": self.projected_ready,
                "projected_after_bytes": self.projected_after,
                "measured_ready_bytes": self.measured_ready,
                "measured_after_bytes": self.measured_after,
                "error_ready": round(self.error_ready, 4),
                "error_after": round(self.error_after, 4)}


@dataclass(slots=True)
class Advice:
    """The cheapest configuration measured, by how much, and the change that gets it."""

    cheapest: str
    baseline: str
    saving_bytes: int         # Pss_Anon after traffic, the baseline's minus the cheapest's
    saving: float             # the same as a fraction of the baseline's
    diff: str                 # the lines for the gunicorn config file or wsgi.py
    keep_eager: list[str] = field(default_factory=list)   # loaded again by every worker

    def to_json(self) -> dict:
        return {"cheapest": self.cheapest, "baseline": self.baseline,
                "saving_bytes": self.saving_bytes, "saving": round(self.saving, 4),
                "diff": self.diff, "keep_eager": self.keep_eager}


@dataclass(slots=True)
class WorkersReport:
    target: str
    python: str
    urls: list[str]
    runs: list[WorkersRun]
    projection: Projection | None = None
    comparisons: list[Comparison] = field(default_factory=list)
    advice: Advice | None = None

    def to_json(self) -> dict:
        return {"schema": WORKERS_SCHEMA, "target": self.target, "python": self.python,
                "urls": self.urls, "configurations": [run.to_json() for run in self.runs],
                "projection": self.projection.to_json() if self.projection else None,
                "comparisons": [item.to_json() for item in self.comparisons],
                "advice": self.advice.to_json() if self.advice else None}
