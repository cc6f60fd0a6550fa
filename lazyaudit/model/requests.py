"""What `lazyaudit requests` measured: requests sent through the application inside
the booted process, what each round added (RSS from a run without tracemalloc, traced
bytes by allocation site from a run with it), the project's containers and caches
that grew, the modules first imported while serving, and the request objects that
outlived their request. Its JSON (`requests --format json`) is documented in
docs/json-schema.md; `schema` changes when a key changes meaning or goes away.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

REQUESTS_SCHEMA = 1
VERDICTS = ("leak", "plateau", "flat")


@dataclass(slots=True)
class UrlResult:
    """One URL: its statuses over every hit, its first hit, and its later hits."""

    method: str
    path: str
    statuses: dict[str, int]
    first_status: str
    first_time_ns: int
    first_rss_anon_bytes: int | None   # what the process's anonymous memory grew by
    first_modules: int                 # modules its first hit imported
    later_count: int
    later_median_time_ns: int | None
    later_max_time_ns: int | None
    later_rss_anon_bytes: int | None = None   # what the later hits added, in all
    errors: list[str] = field(default_factory=list)   # exceptions its view raised

    def __str__(self) -> str:
        return self.path if self.method == "GET" else f"{self.method} {self.path}"


@dataclass(slots=True)
class Round:
    """A checkpoint: index 0 is the end of the warm-up."""

    index: int
    requests: int                  # sent since the warm-up, in total
    seconds: float                 # this round's requests, in the run without tracemalloc
    rss_anon_bytes: int
    rss_file_bytes: int
    traced_bytes: int | None       # traced since the warm-up, the driver's own left out
    traced_seconds: float | None = None   # this round's requests under tracemalloc


@dataclass(slots=True)
class Growth:
    """A series over the rounds judged: growth per request (least-squares slope),
    leak, plateau (with the request where it stopped growing) or flat."""

    per_request: float
    verdict: str
    fill_request: int | None = None


@dataclass(slots=True)
class Site:
    """Traced memory that grew at one place: the first frame in the project's code
    (file:line), else a package; `package` is where the innermost frame was."""

    site: str                  # "reports/views.py:35" or "django"
    file: str | None
    line: int | None
    package: str | None
    source: str                # the line of code, when the site is the project's
    bytes: list[int]           # at each round, since the warm-up
    blocks: list[int]
    bytes_per_request: float
    blocks_per_request: float
    verdict: str
    fill_request: int | None = None


@dataclass(slots=True)
class State:
    """A container or lru_cache of the project's modules, by its qualified name."""

    name: str                  # reports.views.RECENT_EXPORTS, module.Class.attr
    type: str                  # list, dict, set, deque, defaultdict, OrderedDict, lru_cache
    lengths: list[int | None]  # at each round
    deep_bytes: list[int]      # the container and what it reaches allocated since warm-up
    items_per_request: float
    bytes_per_request: float
    verdict: str
    fill_request: int | None = None
    by_url: dict[str, float] = field(default_factory=dict)   # items per request of a URL


@dataclass(slots=True)
class LateImport:
    path: str                  # the request whose first hit imported them
    modules: list[str]
    top: list[str]             # those whose parent package was loaded already
    rss_anon_bytes: int | None
    time_ns: int


@dataclass(slots=True)
class Survivor:
    """Objects of one type a request made, alive after every response was closed."""

    type: str
    count: int
    holder: str | None         # shop.middleware.CurrentUserMiddleware.current_user
    path: list[str]            # what lies between the object and its holder


@dataclass(slots=True)
class RequestsReport:
    target: str
    python: str
    settings: str | None
    interface: str             # "wsgi" | "asgi"
    host: str
    warmup: int                # requests of the warm-up, in total
    requests: int
    frames: int | None         # tracemalloc's frames; None without the tracemalloc run
    urls: list[UrlResult]
    rounds: list[Round]
    rss: Growth
    traced: Growth | None
    sites: list[Site] = field(default_factory=list)
    state: list[State] = field(default_factory=list)
    late_imports: list[LateImport] = field(default_factory=list)
    survivors: list[Survivor] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[UrlResult]:
        return [url for url in self.urls if any(status.startswith("5") or status == "none"
                                                for status in url.statuses)]

    def to_json(self) -> dict:
        document = {"schema": REQUESTS_SCHEMA}
        document.update({f.name: _plain(getattr(self, f.name)) for f in fields(self)})
        return document

    @classmethod
    def from_json(cls, data: dict) -> RequestsReport:
        kinds = {"urls": UrlResult, "rounds": Round, "sites": Site, "state": State,
                 "late_imports": LateImport, "survivors": Survivor}
        values = {f.name: data.get(f.name) for f in fields(cls) if f.name in data}
        for name, kind in kinds.items():
            values[name] = [kind(**item) for item in data.get(name) or []]
        for name in ("rss", "traced"):
            values[name] = Growth(**data[name]) if data.get(name) else None
        return cls(**values)


def _plain(value):
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    return value
