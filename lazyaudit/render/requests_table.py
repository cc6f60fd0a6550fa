"""What `lazyaudit requests` measured, as plain text or Markdown: memory over the
rounds, the allocation sites that grew, the project's state that grew, the request
objects that outlived their request, the late imports, and each URL."""

from __future__ import annotations

from tabulate import tabulate

from ..model.requests import RequestsReport, State
from ..units import mib, ms

TOP_SITES = 10
SHOWN_NAMES = 6      # late modules named per request


def render(report: RequestsReport, tablefmt: str = "simple", top: int = TOP_SITES,
           **_options) -> str:
    heading = (lambda text: f"## {text}") if tablefmt == "github" else (lambda text: text)
    blocks = [heading(f"lazyaudit requests: {report.target} on Python {report.python}, "
                      f"{len(report.urls)} URLs, Host {report.host}"),
              f"warm-up: {report.warmup} requests; then {report.requests} in "
              f"{len(report.rounds) - 1} rounds, the URLs in turn",
              rounds_block(report, tablefmt), growth_lines(report)]
    if report.frames is not None:
        blocks.append(sites_block(report, tablefmt, heading, top))
        blocks.append(state_block(report, tablefmt, heading))
        blocks.append(survivors_block(report, heading))
    blocks.append(late_block(report, heading))
    blocks.append(urls_block(report, tablefmt, heading))
    return "\n\n".join(block for block in blocks if block)


def render_markdown(report: RequestsReport, **options) -> str:
    return render(report, tablefmt="github", **options)


def rounds_block(report: RequestsReport, tablefmt: str) -> str:
    rows = []
    for reading in report.rounds:
        sent = reading.requests - report.rounds[reading.index - 1].requests if reading.index else 0
        rate = f"{sent / reading.seconds:.0f}" if sent and reading.seconds > 0 else "-"
        rows.append([reading.index or "warm-up", reading.requests, rate,
                     f"{mib(reading.rss_anon_bytes + reading.rss_file_bytes)} "
                     f"({mib(reading.rss_anon_bytes)}/{mib(reading.rss_file_bytes)})",
                     _kib(reading.traced_bytes) if reading.traced_bytes is not None else "-"])
    return tabulate(rows, headers=["round", "requests", "req/s", "RSS MiB (private/shared)",
                                   "traced KiB since warm-up"], tablefmt=tablefmt,
                    disable_numparse=True)


def growth_lines(report: RequestsReport) -> str:
    lines = [f"RSS (private): {_per_request(report.rss.per_request)} per request, "
             f"{_verdict(report.rss.verdict, report.rss.fill_request)}"]
    if report.traced is not None:
        lines.append(f"traced memory: {_per_request(report.traced.per_request)} per request, "
                     f"{_verdict(report.traced.verdict, report.traced.fill_request)} "
                     f"(tracemalloc, {report.frames} frames)")
    return "\n".join(lines)


def sites_block(report: RequestsReport, tablefmt: str, heading, top: int) -> str:
    if not report.sites:
        return heading("Where the growth comes from: no allocation site grew")
    rows = [[site.site, site.package or "", _signed(site.bytes_per_request),
             f"{site.blocks_per_request:.2f}", _kib(site.bytes[-1]),
             _verdict(site.verdict, site.fill_request), _short(site.source)]
            for site in report.sites[:top]]
    more = len(report.sites) - top
    return "\n".join([
        heading("Where the growth comes from (traced, grouped at the first frame in the "
                "project's code; package: where the innermost frame was)"), "",
        tabulate(rows, headers=["site", "package", "bytes/request", "objects/request",
                                "KiB in all", "verdict", "code"],
                 tablefmt=tablefmt, disable_numparse=True)]
        + ([f"{more} more sites grew: --top N shows them, --format json has all"]
           if more > 0 else []))


def state_block(report: RequestsReport, tablefmt: str, heading) -> str:
    grown = [state for state in report.state if state.verdict != "flat"]
    title = heading(f"Grown state (of {len(report.state)} containers and caches in the "
                    f"project's modules)")
    if not grown:
        return title + "\nnone grew"
    rows = [[state.name, state.type, f"{state.lengths[0]} -> {state.lengths[-1]}",
             f"{state.items_per_request:.3f}", _signed(state.bytes_per_request),
             _verdict(state.verdict, state.fill_request), _by_url(state)]
            for state in grown]
    return "\n".join([title, "", tabulate(
        rows, headers=["name", "type", "length", "items/request", "bytes/request",
                       "verdict", "by URL"], tablefmt=tablefmt, disable_numparse=True)])


def survivors_block(report: RequestsReport, heading) -> str:
    if not report.survivors:
        return heading("No request or response outlived its request")
    lines = [heading("Outliving their request (alive after every response was closed)")]
    for survivor in report.survivors:
        via = f" (via {', '.join(reversed(survivor.path))})" if survivor.path else ""
        holder = (f"held by {survivor.holder}{via}" if survivor.holder
                  else "held by something lazyaudit could not name")
        lines.append(f"  {survivor.type} x{survivor.count}: {holder}")
    return "\n".join(lines)


def late_block(report: RequestsReport, heading) -> str:
    if not report.late_imports:
        return heading("No module was imported while serving")
    lines = [heading("Imported while serving (late imports), by the request that first "
                     "imported them")]
    for late in report.late_imports:
        names = late.top[:SHOWN_NAMES] + (["..."] if len(late.top) > SHOWN_NAMES else [])
        memory = (f", +{mib(late.rss_anon_bytes)} MiB" if late.rss_anon_bytes is not None
                  else "")
        lines.append(f"  {late.path}: {len(late.modules)} modules{memory}, "
                     f"{ms(late.time_ns)} ms: {', '.join(names)}")
    return "\n".join(lines)


def urls_block(report: RequestsReport, tablefmt: str, heading) -> str:
    rows = []
    for url in report.urls:
        statuses = " ".join(f"{status}:{count}" for status, count in sorted(url.statuses.items()))
        rows.append([str(url), statuses, ms(url.first_time_ns),
                     mib(url.first_rss_anon_bytes) if url.first_rss_anon_bytes is not None
                     else "-", url.first_modules,
                     ms(url.later_median_time_ns) if url.later_median_time_ns else "-",
                     mib(url.later_rss_anon_bytes) if url.later_rss_anon_bytes is not None
                     else "-", _short("; ".join(url.errors), 60)])
    return "\n".join([heading("Per URL (MiB: what the private RSS grew by)"), "", tabulate(
        rows, headers=["URL", "statuses", "first hit ms", "first hit MiB", "modules",
                       "later hits ms (median)", "later hits MiB (all)", "exception"],
        tablefmt=tablefmt, disable_numparse=True)])


def _by_url(state: State) -> str:
    parts = sorted(state.by_url.items(), key=lambda item: -abs(item[1]))
    if len(parts) > 3:
        return f"{len(parts)} URLs"
    return ", ".join(f"{items:+g} per request to {path}" for path, items in parts)


def _verdict(verdict: str, fill: int | None) -> str:
    if verdict == "plateau" and fill is not None:
        return f"plateau (full at request {fill})"
    return verdict


def _per_request(value: float) -> str:
    return f"{value / 1024:+.2f} KiB"


def _signed(value: float) -> str:
    return f"{value:+.0f}"


def _kib(value: int) -> str:
    return f"{value / 1024:.1f}"


def _short(text: str, width: int = 50) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."
