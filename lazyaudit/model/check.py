"""What a check found: one result per limit, the worker projection, the whole outcome.

Its JSON (`check --format json`) is documented in docs/ci.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..units import mib
from .chain import ImportChain
from .cost import ImportSite


@dataclass(slots=True, frozen=True)
class Margin:
    """Headroom on top of a value: a percentage of it, or a fixed number of bytes."""

    percent: float | None = None
    bytes: int = 0

    def of(self, value: int) -> int:
        if self.percent is not None:
            return int(max(value, 0) * self.percent / 100)
        return self.bytes

    def above(self, value: int) -> int:
        """The value with this headroom on top."""
        return value + self.of(value)

    def __str__(self) -> str:
        if self.percent is not None:
            return f"{self.percent:g}%"
        return f"{mib(self.bytes)} MiB"

    def to_json(self) -> dict:
        return {"percent": self.percent} if self.percent is not None else {"bytes": self.bytes}


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


@dataclass(slots=True)
class Result:
    check: str                    # "max-rss", "budget pandas", "forbid pandas", "baseline rss"
    kind: str                     # "max-rss" | "max-private" | "budget" | "forbid" | "baseline"
    what: str                     # what was measured, for people
    ok: bool
    message: str                  # one line saying what holds or what broke
    name: str | None = None       # the module or package a budget or forbid is about
    measured_bytes: int | None = None
    limit_bytes: int | None = None
    allowed_bytes: int | None = None   # the limit plus the tolerance
    details: list[str] = field(default_factory=list)   # e.g. what grew
    site: ImportSite | None = None     # the project's own line to point at, if any
    chain: ImportChain | None = None   # how the module a budget or forbid names was loaded
    data: dict = field(default_factory=dict)           # extra JSON keys (growth, loaded)

    def to_json(self) -> dict:
        document = {
            "check": self.check, "kind": self.kind, "name": self.name, "what": self.what,
            "ok": self.ok, "measured_bytes": self.measured_bytes,
            "limit_bytes": self.limit_bytes, "allowed_bytes": self.allowed_bytes,
            "message": self.message, "details": self.details,
            "site": {"file": self.site.file, "line": self.site.line} if self.site else None,
        }
        if self.chain is not None:
            document["chain"] = self.chain.modules
        document.update(self.data)
        return document


@dataclass(slots=True)
class CheckOutcome:
    target: str
    python: str
    runs: int
    results: list[Result]
    tolerance: Margin
    projection: Projection
    baseline: str | None = None          # the file compared with, or written
    baseline_updated: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[Result]:
        return [result for result in self.results if not result.ok]

    @property
    def passed(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        count = len(self.results)
        if not count:
            return "no limits checked"
        if self.passed:
            return "the limit holds" if count == 1 else f"all {count} limits hold"
        return f"{len(self.failures)} of {count} limit{'s' if count != 1 else ''} broken"

    def to_json(self) -> dict:
        return {
            "schema": 1, "target": self.target, "python": self.python, "runs": self.runs,
            "passed": self.passed, "summary": self.summary(),
            "tolerance": self.tolerance.to_json(),
            "results": [result.to_json() for result in self.results],
            "baseline": ({"file": self.baseline, "updated": self.baseline_updated}
                         if self.baseline else None),
            "workers": self.projection.to_json(),
            "notes": self.notes,
        }
