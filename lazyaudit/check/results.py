"""What a check found: one result per limit, and the whole outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ImportSite
from .limits import Margin
from .workers import Projection


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
    details: list[str] = field(default_factory=list)   # e.g. the import chain, what grew
    site: ImportSite | None = None     # the project's own line to point at, if any
    data: dict = field(default_factory=dict)           # extra JSON keys (chain, growth)

    def to_json(self) -> dict:
        document = {
            "check": self.check, "kind": self.kind, "name": self.name, "what": self.what,
            "ok": self.ok, "measured_bytes": self.measured_bytes,
            "limit_bytes": self.limit_bytes, "allowed_bytes": self.allowed_bytes,
            "message": self.message, "details": self.details,
            "site": {"file": self.site.file, "line": self.site.line} if self.site else None,
        }
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
