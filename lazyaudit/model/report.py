"""The import report of one boot: modules, their costs, the import edges, and the
sections later steps add (the ranking, a what-if boot).

Schema 1 is documented in docs/json-schema.md. Keys users' scripts read are kept
exactly; new keys may be added, never renamed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LazyauditError
from .cost import Cost, ImportSite
from .encoding import to_text
from .ranking import Ranking

SCHEMA = 1


class ReportError(LazyauditError):
    """A saved report that cannot be read."""


@dataclass(slots=True)
class Module:
    name: str
    file: str | None
    distribution: str | None
    kind: str                      # "stdlib" | "first-party" | "third-party"
    parent: str | None             # module executing when this one was loaded
    stage: str
    self_cost: Cost
    cumulative: Cost
    importer: str | None = None    # module whose code asked for the import
    import_site: ImportSite | None = None
    loaded: bool = True            # False when its code raised (e.g. a failed optional import)

    @property
    def package(self) -> str:
        """The unit `--by package` groups by: the distribution, else the top-level name."""
        return self.distribution or self.name.partition(".")[0]

    def to_json(self) -> dict:
        return {
            "name": self.name, "file": self.file, "distribution": self.distribution,
            "kind": self.kind, "parent": self.parent, "stage": self.stage,
            "self": self.self_cost.to_json(), "cumulative": self.cumulative.to_json(),
            "importer": self.importer,
            "import_site": ({"file": self.import_site.file, "line": self.import_site.line}
                            if self.import_site else None),
            "loaded": self.loaded,
        }

    @classmethod
    def from_json(cls, data: dict) -> Module:
        site = data.get("import_site")
        return cls(
            name=data["name"], file=data.get("file"), distribution=data.get("distribution"),
            kind=data.get("kind", "third-party"), parent=data.get("parent"),
            stage=data.get("stage", ""), self_cost=Cost.from_json(data.get("self", {})),
            cumulative=Cost.from_json(data.get("cumulative", {})),
            importer=data.get("importer"),
            import_site=ImportSite(site["file"], site.get("line")) if site else None,
            loaded=data.get("loaded", True),
        )


@dataclass(slots=True)
class Edge:
    """One module's code imported another (also when it was loaded already)."""

    importer: str
    imported: str
    site: ImportSite | None = None


@dataclass(slots=True)
class Totals:
    """The target's whole startup: resident memory after boot, and what booting added."""

    rss_anon_bytes: int
    rss_file_bytes: int
    tracemalloc_bytes: int
    time_ns: int
    modules: int
    interpreter: Cost = field(default_factory=Cost)   # the bare interpreter, before the target

    @property
    def rss_bytes(self) -> int:
        return self.rss_anon_bytes + self.rss_file_bytes

    @property
    def cost(self) -> Cost:
        """The whole startup as a Cost, to compare two boots."""
        return Cost(self.rss_anon_bytes, self.rss_file_bytes, self.tracemalloc_bytes,
                    self.time_ns)

    def to_json(self) -> dict:
        return {
            "rss_bytes": self.rss_bytes, "rss_anon_bytes": self.rss_anon_bytes,
            "rss_file_bytes": self.rss_file_bytes, "tracemalloc_bytes": self.tracemalloc_bytes,
            "time_ns": self.time_ns, "modules": self.modules,
            "interpreter": self.interpreter.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict) -> Totals:
        return cls(int(data.get("rss_anon_bytes", 0)), int(data.get("rss_file_bytes", 0)),
                   int(data.get("tracemalloc_bytes", 0)), int(data.get("time_ns", 0)),
                   int(data.get("modules", 0)), Cost.from_json(data.get("interpreter", {})))


@dataclass(slots=True)
class DeferredSite:
    """An import a what-if boot deferred: `module` imported by `importer` at file:line
    (relative to the project)."""

    importer: str
    module: str
    file: str
    line: int | None

    def to_json(self) -> dict:
        return {"importer": self.importer, "module": self.module, "file": self.file,
                "line": self.line}

    @classmethod
    def from_json(cls, data: dict) -> DeferredSite:
        return cls(data["importer"], data["module"], data["file"], data.get("line"))


@dataclass(slots=True)
class WhatIf:
    """A second boot with some modules deferred: its real drop next to the estimate."""

    modules: list[str]
    before_rss_bytes: int
    after_rss_bytes: int
    measured_drop: Cost
    estimated_drop: Cost
    still_loaded: list[str] = field(default_factory=list)
    sites: list[DeferredSite] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"modules": self.modules, "before_rss_bytes": self.before_rss_bytes,
                "after_rss_bytes": self.after_rss_bytes,
                "measured_drop": self.measured_drop.to_json(),
                "estimated_drop": self.estimated_drop.to_json(),
                "still_loaded": self.still_loaded,
                "sites": [site.to_json() for site in self.sites]}

    @classmethod
    def from_json(cls, data: dict) -> WhatIf:
        return cls(data.get("modules", []), int(data.get("before_rss_bytes", 0)),
                   int(data.get("after_rss_bytes", 0)),
                   Cost.from_json(data.get("measured_drop", {})),
                   Cost.from_json(data.get("estimated_drop", {})),
                   data.get("still_loaded", []),
                   [DeferredSite.from_json(site) for site in data.get("sites", [])])


@dataclass(slots=True)
class ImportReport:
    python: str
    target: str
    project: str
    totals: Totals
    modules: list[Module]
    edges: list[Edge]
    stages: list[str] = field(default_factory=list)
    runs: int = 1
    tracemalloc: bool = True
    rss_source: str = "statm"
    warnings: list[str] = field(default_factory=list)
    failed_imports: list[str] = field(default_factory=list)   # imports whose code raised
    ranking: Ranking | None = None        # added by `rank` (and `measure` unless --no-rank)
    what_if: WhatIf | None = None         # added by `measure --defer`
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def module(self, name: str) -> Module | None:
        if len(self._index) != len(self.modules):   # built once, again if modules change
            self._index = self.by_name()
        return self._index.get(name)

    def by_name(self) -> dict[str, Module]:
        return {module.name: module for module in self.modules}

    def to_json(self) -> dict:
        document = {
            "schema": SCHEMA, "python": self.python, "target": self.target,
            "project": self.project, "totals": self.totals.to_json(),
            "modules": [module.to_json() for module in self.modules],
            "edges": [[edge.importer, edge.imported] for edge in self.edges],
            "edge_sites": [
                {"importer": e.importer, "imported": e.imported,
                 "file": e.site.file, "line": e.site.line}
                for e in self.edges if e.site is not None
            ],
            "stages": self.stages, "runs": self.runs, "tracemalloc": self.tracemalloc,
            "rss_source": self.rss_source, "warnings": self.warnings,
        }
        if self.failed_imports:
            document["failed_imports"] = self.failed_imports
        if self.ranking is not None:
            document.update(self.ranking.to_json())
        if self.what_if is not None:
            document["what_if"] = self.what_if.to_json()
        return document

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        if data.get("schema") != SCHEMA:
            raise ReportError(f"unsupported report schema {data.get('schema')!r} "
                              f"(this lazyaudit reads schema {SCHEMA})")
        sites = {(s["importer"], s["imported"]): ImportSite(s["file"], s.get("line"))
                 for s in data.get("edge_sites", [])}
        return cls(
            python=data.get("python", ""), target=data.get("target", ""),
            project=data.get("project", ""), totals=Totals.from_json(data.get("totals", {})),
            modules=[Module.from_json(m) for m in data.get("modules", [])],
            edges=[Edge(a, b, sites.get((a, b))) for a, b in data.get("edges", [])],
            stages=data.get("stages", []), runs=data.get("runs", 1),
            tracemalloc=data.get("tracemalloc", True), rss_source=data.get("rss_source", "statm"),
            warnings=data.get("warnings", []),
            failed_imports=data.get("failed_imports", []),
            ranking=Ranking.from_json(data) if "candidates" in data else None,
            what_if=WhatIf.from_json(data["what_if"]) if data.get("what_if") else None,
        )

    def ranking_document(self) -> dict:
        """What `rank --format json` prints: the ranking alone."""
        ranking = self.ranking or Ranking()
        return {"schema": SCHEMA, "target": self.target, **ranking.to_json()}

    def save(self, path: Path) -> None:
        path.write_text(to_text(self.to_json()) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ImportReport:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as error:
            raise ReportError(f"cannot read report {path}: {error.strerror}") from None
        except ValueError as error:
            raise ReportError(f"{path} is not a JSON report: {error}") from None
        if not isinstance(data, dict):
            raise ReportError(f"{path} is not a lazyaudit report")
        return cls.from_json(data)
