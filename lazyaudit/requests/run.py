"""Run the target's request phase twice through the probe (RSS, then tracemalloc) and
assemble the RequestsReport: growth per request judged over the rounds, allocation
sites named by their line of code, state by its qualified name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..analysis.growth import judge, slope
from ..errors import UsageError
from ..model.requests import (Growth, LateImport, RequestsReport, Round, Site, State,
                              Survivor, UrlResult)
from ..model.workers import for_people
from ..progress import BootDisplay
from ..runner import run_probe
from ..target import Target
from ..url_list import Request

SITE_FLOOR = 1024       # bytes over the run below which a site's growth is noise
RSS_FLOOR = 64 * 1024   # bytes: RSS moves by whole pages, and the allocator keeps some


@dataclass(slots=True)
class Traffic:
    """What to send: the URL walk and/or a list, the warm-up and the rounds."""

    requests: list[Request]
    walk: bool
    exclude: tuple[str, ...] = ()
    user: str | None = None
    host: str | None = None
    warmup: int = 2
    total: int = 500
    rounds: int = 5
    frames: int = 30

    def config(self, mode: str) -> dict:
        return {"requests": {
            "mode": mode, "walk": self.walk, "exclude": list(self.exclude),
            "urls": [request.to_literal() for request in self.requests],
            "user": self.user, "host": self.host, "warmup": self.warmup,
            "requests": self.total, "rounds": self.rounds, "frames": self.frames}}


def measure_requests(target: Target, traffic: Traffic, *, tracemalloc: bool = True,
                     timeout: float | None = None,
                     display: BootDisplay | None = None) -> RequestsReport:
    """Boot and send the requests twice: for the RSS, time and late imports, then (with
    `tracemalloc`) for the allocation sites, the state and the survivors."""
    rss = _run(target, traffic, "rss", timeout, display)
    traced = _run(target, traffic, "trace", timeout, display) if tracemalloc else None
    return assemble(target, rss, traced)


def list_requests(target: Target, traffic: Traffic, *, timeout: float | None = None,
                  display: BootDisplay | None = None) -> list[str]:
    """What would be sent (the walk and the file, after --exclude-urls), sending none."""
    result = _run(target, traffic, "list", timeout, display)
    return [path if method == "GET" else f"{method} {path}"
            for method, path in result["requests"]]


def _run(target: Target, traffic: Traffic, mode: str, timeout, display) -> dict:
    what = f"{target.describe()}, requests" + (" under tracemalloc" if mode == "trace" else "")
    document = run_probe(target, tracemalloc=False, timeout=timeout, display=display,
                         extra=traffic.config(mode), what=what)
    result = document.get("requests")
    if result is None:
        raise UsageError(f"{target.describe()}: the probe sent no request")
    if result.get("error"):
        raise UsageError(result["error"])
    result["python"] = document.get("interpreter", {}).get("version", "")
    return result


def assemble(target: Target, rss: dict, traced: dict | None) -> RequestsReport:
    xs = [reading["requests"] for reading in rss["rounds"]]
    traced_rounds = traced["rounds"] if traced else [{} for _ in xs]
    base_traced = traced_rounds[0].get("traced_bytes")
    rounds = [Round(index, reading["requests"], reading["seconds"], reading["rss_anon_bytes"],
                    reading["rss_file_bytes"],
                    (other["traced_bytes"] - base_traced) if base_traced is not None else None,
                    other.get("seconds"))
              for index, (reading, other) in enumerate(zip(rss["rounds"], traced_rounds))]
    anon = [reading.rss_anon_bytes for reading in rounds]
    rss_growth = Growth(slope(xs, anon), *judge(xs, anon, RSS_FLOOR))
    report = RequestsReport(
        target=target.describe(), python=rss["python"],
        settings=target.value if target.kind == "django" else None,
        interface=rss["interface"], host=rss["host"], warmup=rss["warmup"],
        requests=xs[-1], frames=traced["frames"] if traced else None,
        urls=[_url(item) for item in rss["urls"]], rounds=rounds, rss=rss_growth,
        traced=None, late_imports=_late_imports(rss["late_imports"]))
    if traced:
        sites = [_site(item, xs, target.project) for item in traced["sites"]]
        traced_bytes = [reading.traced_bytes for reading in rounds]
        report.traced = Growth(slope(xs, traced_bytes), *judge(xs, traced_bytes, SITE_FLOOR))
        report.sites = sorted((site for site in sites if site.verdict != "flat"),
                              key=lambda site: -site.bytes_per_request)
        report.state = sorted((_state(item, xs, traced["urls"]) for item in traced["state"]),
                              key=lambda state: (state.verdict == "flat",
                                                 -state.bytes_per_request, state.name))
        report.survivors = [Survivor(**item) for item in traced["survivors"]]
    return report


def _url(item: dict) -> UrlResult:
    first, later = item["first"], item["later"]
    return UrlResult(item["method"], item["path"], item["statuses"], first["status"],
                     first["time_ns"], first["rss_anon_bytes"], first["modules"],
                     later["count"], later["median_time_ns"], later["max_time_ns"],
                     later.get("rss_anon_bytes"), item["errors"])


def _late_imports(items: list[dict]) -> list[LateImport]:
    result = []
    for item in items:
        names = set(item["modules"])
        top = for_people(name for name in item["modules"]
                         if name.rpartition(".")[0] not in names)
        result.append(LateImport(item["path"], item["modules"], top, item["rss_anon_bytes"],
                                 item["time_ns"]))
    return result


def _site(item: dict, xs: list[int], project: Path) -> Site:
    if item["file"]:
        path = Path(item["file"])
        try:
            shown = str(path.relative_to(project))
        except ValueError:
            shown = str(path)
        name, source = f"{shown}:{item['line']}", _source_line(path, item["line"])
    else:
        name, source = item["package"] or "?", ""
    verdict, fill = judge(xs, item["bytes"], SITE_FLOOR)
    return Site(name, item["file"], item["line"], item["package"], source, item["bytes"],
                item["blocks"], slope(xs, item["bytes"]), slope(xs, item["blocks"]),
                verdict, fill)


def _source_line(path: Path, line: int) -> str:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, 1):
                if number == line:
                    return text.strip()
    except OSError:
        pass
    return ""


def _state(item: dict, xs: list[int], urls: list[dict]) -> State:
    lengths = item["lengths"]
    verdict, fill = judge(xs, lengths, 0)
    if verdict == "plateau" and item.get("last_change") is not None:
        fill = item["last_change"]
    measured = _hits_after_warmup(urls, xs[-1])
    by_url = {path: round(items / measured[path], 3) if measured.get(path) else float(items)
              for path, items in item["by_url"].items() if items}
    return State(item["name"], item["type"], lengths, item["deep_bytes"],
                 slope(xs, lengths), slope(xs, item["deep_bytes"]), verdict, fill, by_url)


def _hits_after_warmup(urls: list[dict], measured: int) -> dict[str, int]:
    """How many of the measured requests went to each URL (they are sent in turn)."""
    count = len(urls)
    return {url["path"]: measured // count + (1 if index < measured % count else 0)
            for index, url in enumerate(urls)}
