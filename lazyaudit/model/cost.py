"""What loading something cost, and where an import happened: shared by every document."""

from __future__ import annotations

from dataclasses import dataclass

MEASURES = ("rss_bytes", "rss_anon_bytes", "rss_file_bytes", "tracemalloc_bytes", "time_ns")


@dataclass(slots=True)
class Cost:
    """What loading something cost: resident memory split private/shared, traced bytes, time."""

    rss_anon_bytes: int = 0
    rss_file_bytes: int = 0
    tracemalloc_bytes: int = 0
    time_ns: int = 0

    @property
    def rss_bytes(self) -> int:
        return self.rss_anon_bytes + self.rss_file_bytes

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.rss_anon_bytes + other.rss_anon_bytes,
                    self.rss_file_bytes + other.rss_file_bytes,
                    self.tracemalloc_bytes + other.tracemalloc_bytes,
                    self.time_ns + other.time_ns)

    def __sub__(self, other: Cost) -> Cost:
        return Cost(self.rss_anon_bytes - other.rss_anon_bytes,
                    self.rss_file_bytes - other.rss_file_bytes,
                    self.tracemalloc_bytes - other.tracemalloc_bytes,
                    self.time_ns - other.time_ns)

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in MEASURES}

    @classmethod
    def from_json(cls, data: dict) -> Cost:
        return cls(int(data.get("rss_anon_bytes", 0)), int(data.get("rss_file_bytes", 0)),
                   int(data.get("tracemalloc_bytes", 0)), int(data.get("time_ns", 0)))


@dataclass(slots=True)
class ImportSite:
    """Where an import happened in source code."""

    file: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file
