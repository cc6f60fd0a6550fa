"""The ranking section of a report: every candidate for deferral, its verdict and savings.

`rank --format json` prints this section alone (with the schema and target); inside
a saved report its keys sit at the top level, beside `modules` (docs/json-schema.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cost import Cost


@dataclass(slots=True)
class SiteJudgement:
    """One import statement of the candidate, and whether it may be deferred."""

    file: str            # relative to the project
    line: int
    verdict: str         # "safe" | "unsafe"
    reason: str
    code: str | None = None    # the reason's code (docs/reasons.md)

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "verdict": self.verdict,
                "reason": self.reason, "code": self.code}

    @classmethod
    def from_json(cls, data: dict) -> SiteJudgement:
        return cls(data["file"], data["line"], data["verdict"], data.get("reason", ""),
                   data.get("code"))


@dataclass(slots=True)
class Uses:
    """The deferred uses of a candidate: the functions that would import it."""

    functions: int = 0
    call_sites: int = 0
    files: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)     # "file:line in function()"

    def to_json(self) -> dict:
        return {"functions": self.functions, "call_sites": self.call_sites,
                "files": self.files, "where": self.where}

    @classmethod
    def from_json(cls, data: dict) -> Uses:
        return cls(data.get("functions", 0), data.get("call_sites", 0),
                   data.get("files", []), data.get("where", []))


@dataclass(slots=True)
class CoverageEvidence:
    """Whether the functions that use a candidate ever ran, from coverage.py data."""

    functions: int
    ran: int
    never_ran: list[str]

    def to_json(self) -> dict:
        return {"functions": self.functions, "ran": self.ran, "never_ran": self.never_ran}

    @classmethod
    def from_json(cls, data: dict) -> CoverageEvidence:
        return cls(data.get("functions", 0), data.get("ran", 0), data.get("never_ran", []))


@dataclass(slots=True)
class Confirmation:
    """A what-if boot of what `fix` would write, against the estimate."""

    modules: list[str]          # what the boot deferred (the candidate and what it needs)
    estimated: Cost
    measured: Cost              # the drop in startup memory the boot measured
    still_loaded: list[str] = field(default_factory=list)
    confirmed: bool = False
    error: str = ""             # the boot of the rewrite failed: why

    def to_json(self) -> dict:
        document = {"modules": self.modules, "estimated": self.estimated.to_json(),
                    "measured": self.measured.to_json(), "still_loaded": self.still_loaded,
                    "confirmed": self.confirmed}
        if self.error:
            document["error"] = self.error
        return document

    @classmethod
    def from_json(cls, data: dict) -> Confirmation:
        return cls(data.get("modules", []), Cost.from_json(data.get("estimated", {})),
                   Cost.from_json(data.get("measured", {})), data.get("still_loaded", []),
                   data.get("confirmed", False), data.get("error", ""))


@dataclass(slots=True)
class RankedCandidate:
    """A module the project's own code imports at startup, judged for deferral."""

    module: str
    distribution: str | None
    kind: str
    sites: list[SiteJudgement]
    verdict: str                      # "safe" | "no-gain" | "unsafe"
    reason: str = ""
    code: str | None = None           # the reason's code, unless safe (docs/reasons.md)
    together_with: list[str] = field(default_factory=list)   # safe only if these go too
    savings: Cost = field(default_factory=Cost)   # per worker, if deferred
    potential: Cost = field(default_factory=Cost)   # what moving kept imports would save
    modules_saved: int = 0
    loaded_by: str | None = None      # no-gain: what keeps loading it
    uses: Uses = field(default_factory=Uses)
    style: str = "local"              # the fix that suits it
    notable: bool = True              # worth a row in the table (all are in the JSON)
    cumulative_rss_bytes: int = 0
    coverage: CoverageEvidence | None = None
    confirmation: Confirmation | None = None    # rank --confirm, fix

    def to_json(self) -> dict:
        savings = self.savings.to_json()
        savings.pop("time_ns")
        document = {
            "module": self.module, "distribution": self.distribution, "kind": self.kind,
            "sites": [site.to_json() for site in self.sites],
            "verdict": self.verdict, "reason": self.reason, "code": self.code,
            "together_with": self.together_with,
            "savings": savings, "savings_time_ns": self.savings.time_ns,
            "potential_rss_bytes": self.potential.rss_bytes,
            "potential_rss_anon_bytes": self.potential.rss_anon_bytes,
            "modules_saved": self.modules_saved, "loaded_by": self.loaded_by,
            "uses": self.uses.to_json(), "style": self.style, "notable": self.notable,
            "cumulative_rss_bytes": self.cumulative_rss_bytes,
        }
        if self.coverage is not None:
            document["coverage"] = self.coverage.to_json()
        if self.confirmation is not None:
            document["confirmation"] = self.confirmation.to_json()
        return document

    @classmethod
    def from_json(cls, data: dict) -> RankedCandidate:
        savings = Cost.from_json({**data.get("savings", {}),
                                  "time_ns": data.get("savings_time_ns", 0)})
        coverage, confirmation = data.get("coverage"), data.get("confirmation")
        return cls(
            module=data["module"], distribution=data.get("distribution"),
            kind=data.get("kind", "third-party"),
            sites=[SiteJudgement.from_json(site) for site in data.get("sites", [])],
            verdict=data["verdict"], reason=data.get("reason", ""), code=data.get("code"),
            together_with=data.get("together_with", []), savings=savings,
            potential=Cost(rss_anon_bytes=data.get("potential_rss_anon_bytes", 0),
                           rss_file_bytes=data.get("potential_rss_bytes", 0)
                           - data.get("potential_rss_anon_bytes", 0)),
            modules_saved=data.get("modules_saved", 0), loaded_by=data.get("loaded_by"),
            uses=Uses.from_json(data.get("uses") or {}), style=data.get("style", "local"),
            notable=data.get("notable", True),
            cumulative_rss_bytes=data.get("cumulative_rss_bytes", 0),
            coverage=CoverageEvidence.from_json(coverage) if coverage else None,
            confirmation=Confirmation.from_json(confirmation) if confirmation else None,
        )


@dataclass(slots=True)
class Deferral:
    """What deferring every safe candidate together saves."""

    modules: list[str] = field(default_factory=list)
    savings: Cost = field(default_factory=Cost)
    modules_saved: int = 0
    confirmation: Confirmation | None = None    # one what-if boot of them all

    def to_json(self) -> dict:
        document = {"modules": self.modules, "savings": self.savings.to_json(),
                    "modules_saved": self.modules_saved}
        if self.confirmation is not None:
            document["confirmation"] = self.confirmation.to_json()
        return document

    @classmethod
    def from_json(cls, data: dict) -> Deferral:
        confirmation = data.get("confirmation")
        return cls(data.get("modules", []), Cost.from_json(data.get("savings", {})),
                   data.get("modules_saved", 0),
                   Confirmation.from_json(confirmation) if confirmation else None)


@dataclass(slots=True)
class Ranking:
    candidates: list[RankedCandidate] = field(default_factory=list)
    deferral: Deferral = field(default_factory=Deferral)
    min_savings_bytes: int = 2**20    # private bytes a candidate needs for a row
    skipped_files: list[str] = field(default_factory=list)   # files that could not be read

    def to_json(self) -> dict:
        return {"candidates": [candidate.to_json() for candidate in self.candidates],
                "deferral": self.deferral.to_json(),
                "min_savings_bytes": self.min_savings_bytes,
                "skipped_files": self.skipped_files}

    @classmethod
    def from_json(cls, data: dict) -> Ranking:
        return cls([RankedCandidate.from_json(c) for c in data.get("candidates") or []],
                   Deferral.from_json(data.get("deferral") or {}),
                   data.get("min_savings_bytes", 2**20), data.get("skipped_files", []))
