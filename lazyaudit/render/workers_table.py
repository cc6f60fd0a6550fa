"""What `lazyaudit workers` measured, as plain text or Markdown: per configuration a
row per checkpoint, the processes after the last round, the late imports, and with
--compare the configurations side by side, the projection's error and the advice."""

from __future__ import annotations

from tabulate import tabulate

from ..model.workers import Round, WorkersReport, WorkersRun
from ..units import mib

ROUND_HEADERS = ["round", "requests", "req/s", "statuses", "total PSS MiB",
                 "Pss_Anon MiB", "master PSS MiB", "worker PSS MiB min-max",
                 "worker USS MiB mean"]
PROCESS_HEADERS = ["pid", "role", "requests", "RSS MiB", "PSS MiB", "USS MiB",
                   "shared MiB", "swap MiB", "Pss_Anon MiB", "Pss_File MiB"]
COMPARE_HEADERS = ["configuration", "total PSS MiB at ready", "after traffic",
                   "Pss_Anon MiB after", "worker USS MiB mean", "req/s", "workers fit",
                   "projection MiB (error)"]
SHOWN_NAMES = 6    # late modules named per request


def render(report: WorkersReport, tablefmt: str = "simple", **_options) -> str:
    heading = (lambda text: f"## {text}") if tablefmt == "github" else (lambda text: text)
    blocks = [heading(f"lazyaudit workers: {report.target} on Python {report.python}, "
                      f"{len(report.urls)} URLs")]
    for run in report.runs:
        blocks.append(run_block(run, tablefmt, heading))
    if report.comparisons or len(report.runs) > 1:
        blocks.append(compare_block(report, tablefmt, heading))
    return "\n\n".join(blocks)


def render_markdown(report: WorkersReport, **options) -> str:
    return render(report, tablefmt="github", **options)


def run_block(run: WorkersRun, tablefmt: str, heading) -> str:
    configuration = run.configuration
    lines = [heading(f"{configuration.name}, {configuration.size} "
                     f"({configuration.interface.upper()})"), "",
             tabulate([round_row(round_) for round_ in run.rounds], ROUND_HEADERS,
                      tablefmt=tablefmt, disable_numparse=True), "",
             f"after the last round (sum of PSS: {mib(run.last.total('pss'))} MiB, what the "
             "machine pays):", "",
             tabulate([process_row(process) for process in run.last.processes],
                      PROCESS_HEADERS, tablefmt=tablefmt, disable_numparse=True)]
    fit = run.fit()
    if fit is not None:
        workers = run.last.workers
        per_worker = sum(worker.pss for worker in workers) / len(workers)
        lines += ["", f"{fit} workers of {mib(per_worker)} MiB PSS each (after the traffic) "
                      f"fit in {mib(run.memory_available)} MiB"]
    late = late_lines(run)
    if late:
        lines += ["", "imported by workers while serving (late imports), with what the "
                      "worker's anonymous memory grew by in that request:"] + late
    lines += [f"warning: {warning}" for warning in run.warnings]
    return "\n".join(lines)


def round_row(round_: Round) -> list[str]:
    workers = round_.workers
    pss = [worker.pss for worker in workers]
    uss = [worker.uss for worker in workers]
    masters = [process.pss for process in round_.processes if process.role == "master"]
    rate = round_.requests_per_second
    return [str(round_.index) if round_.index else "ready", str(round_.requests),
            f"{rate:.0f}" if rate else "-",
            " ".join(f"{status}:{count}" for status, count in round_.statuses.items()) or "-",
            mib(round_.total("pss")), mib(round_.total("pss_anon")),
            mib(sum(masters)) if masters else "-",
            f"{mib(min(pss))}-{mib(max(pss))}" if pss else "-",
            mib(sum(uss) / len(uss)) if uss else "-"]


def process_row(process) -> list[str]:
    return [str(process.pid), process.role,
            "-" if process.requests is None else str(process.requests),
            mib(process.rss), mib(process.pss), mib(process.uss), mib(process.shared),
            mib(process.swap), mib(process.pss_anon), mib(process.pss_file)]


def late_lines(run: WorkersRun) -> list[str]:
    lines = []
    for late in run.late_imports:
        names = late.top
        shown = ", ".join(names[:SHOWN_NAMES]) + (
            f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")
        lines.append(f"  pid {late.pid} {late.path}: {len(late.modules)} modules, "
                     f"+{mib(late.anon_bytes)} MiB: {shown}")
    again = run.loaded_again()
    if run.configuration.preload and again:
        lines.append("  imported again by most workers after the fork (import them in the "
                     f"master, before the fork, to share them): {', '.join(again[:12])}"
                     + (f" and {len(again) - 12} more" if len(again) > 12 else ""))
    return lines


def compare_block(report: WorkersReport, tablefmt: str, heading) -> str:
    projected = {item.configuration: item for item in report.comparisons}
    rows = []
    for run in report.runs:
        workers = run.last.workers
        rates = [round_.requests_per_second for round_ in run.rounds[1:]
                 if round_.requests_per_second]
        item = projected.get(run.configuration.name)
        rows.append([run.configuration.name, mib(run.rounds[0].total("pss")),
                     mib(run.last.total("pss")), mib(run.last.total("pss_anon")),
                     mib(sum(w.uss for w in workers) / len(workers)) if workers else "-",
                     f"{sum(rates) / len(rates):.0f}" if rates else "-",
                     "-" if run.fit() is None else str(run.fit()),
                     f"{mib(item.projected_after)} ({item.error_after:+.0%})" if item else "-"])
    lines = [heading("the configurations side by side"), "",
             tabulate(rows, COMPARE_HEADERS, tablefmt=tablefmt, disable_numparse=True)]
    if report.projection is not None:
        p = report.projection
        lines += ["", f"projection on paper (check --workers {p.workers}): without preload "
                      f"{mib(p.total_bytes)} MiB; with preload {mib(p.preload_fresh_bytes)} "
                      f"MiB after the fork, up to {mib(p.preload_worn_bytes)} MiB worn; the "
                      "error is against the total PSS measured after the traffic"]
    advice = report.advice
    if advice is not None:
        if advice.cheapest == advice.baseline:
            lines += ["", f"cheapest: {advice.cheapest}, as it is"]
        else:
            lines += ["", f"cheapest after the traffic: {advice.cheapest}, "
                          f"{mib(advice.saving_bytes)} MiB ({advice.saving:.0%}) less "
                          f"anonymous memory than {advice.baseline}. The change:", ""]
            lines += ["```diff", advice.diff.rstrip("\n"), "```"] if tablefmt == "github" \
                else [advice.diff.rstrip("\n")]
        if advice.keep_eager:
            lines += ["", "every worker imports these again after the fork even so; keep "
                          "them eager (imported at startup), so that the master's copy is "
                          f"shared: {', '.join(advice.keep_eager)}"]
    return "\n".join(lines)
