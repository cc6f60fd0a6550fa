"""`lazyaudit check`: hold the target's startup memory to limits, for CI."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from .options import (ConfigOption, format_option, option_origin, output_option,
                      path_from_config, report_file_option, target_options, with_config)
from .steps import emit, load_report, report_or_boot


def budgets_from_config(value, project_dir):
    from ..check.limits import budgets_from_config
    return budgets_from_config(value)


def forbid_from_config(value, project_dir):
    from ..check.limits import forbid_from_config
    return forbid_from_config(value)


@click.command()
@report_file_option("Check a saved JSON report instead of booting the target.")
@target_options
@click.option("--max-rss", metavar="SIZE",
              help="Limit on the startup RSS of one worker, e.g. 300MiB.")
@click.option("--max-private", metavar="SIZE",
              help="Limit on its private (anonymous) RSS: the part every worker pays again.")
@click.option("--budget", multiple=True, metavar="NAME=SIZE", cls=ConfigOption,
              config_key="budgets", from_config=budgets_from_config,
              help="Limit on a package (top-level NAME: the self RSS of all its modules) "
                   "or a module (dotted NAME: its cumulative RSS). Repeatable; in "
                   "[tool.lazyaudit] the table `budgets`.")
@click.option("--forbid", metavar="MOD,...", cls=ConfigOption, from_config=forbid_from_config,
              help="Modules that must not be loaded at startup (in [tool.lazyaudit]: a list).")
@click.option("--baseline", metavar="FILE", cls=ConfigOption, from_config=path_from_config,
              help="A saved JSON report (measure --format json -o FILE): startup and "
                   "private RSS may not grow beyond it.")
@click.option("--max-increase", metavar="SIZE|N%",
              help="How much they may grow over the baseline [default: 0].")
@click.option("--update-baseline", is_flag=True,
              help="Write this measurement to the --baseline FILE instead of comparing.")
@click.option("--tolerance", metavar="SIZE|N%", default="2%", show_default=True,
              help="Headroom for noise: a size limit breaks only above limit + tolerance.")
@click.option("--workers", type=click.IntRange(1),
              help="Project the startup memory of N workers [default: 2 x cores + 1].")
@click.option("--server", type=click.Choice(["gunicorn", "uvicorn", "granian"]),
              help="Also run N real workers of this server with traffic (as `lazyaudit "
                   "workers` does), for --max-worker-uss and --max-total-pss.")
@click.option("--max-worker-uss", metavar="SIZE",
              help="With --server: limit on the USS of the largest worker after the "
                   "traffic.")
@click.option("--max-total-pss", metavar="SIZE",
              help="With --server: limit on the total PSS of the master and all workers "
                   "after the traffic.")
@click.option("--max-growth-per-request", metavar="SIZE",
              help="Also send requests through the app (as `lazyaudit requests` does) and "
                   "limit the traced memory each request adds after the warm-up; growth "
                   "judged flat (noise) counts as 0.")
@click.option("--urls", "urls_file", metavar="FILE",
              help="With --max-growth-per-request: the requests to send, as `requests "
                   "--urls` takes them [default: every Django URL pattern that needs no "
                   "argument].")
@format_option("check")
@output_option
@with_config
def check(**params) -> int:
    """Check the target's startup memory against limits, for CI: total and private
    RSS, budgets per package or module, forbidden modules, growth over a baseline.

    Exits 1 when a limit is broken. Under GitHub Actions it also writes error
    annotations, and appends the Markdown result to $GITHUB_STEP_SUMMARY.
    """
    from ..check.evaluate import run_check
    from ..check.limits import LimitError, parse_limits
    from ..check.projection import project
    from ..render import render

    ctx = click.get_current_context()
    try:
        limits = parse_limits(params)
    except LimitError as error:
        raise UsageError(f"{option_origin(ctx, error.option)}: {error.message}") from None
    server_limits = measured_limits(ctx, params)
    growth_limit = size_limit(ctx, params, "max_growth_per_request")
    if limits.empty() and not server_limits and growth_limit is None:
        raise UsageError("no limits to check: give --max-rss, --max-private, --budget, "
                         "--forbid, --baseline or --max-growth-per-request, or set them "
                         "in [tool.lazyaudit]")
    baseline = None
    if limits.baseline and not limits.update_baseline:
        if not Path(limits.baseline).exists():
            raise UsageError(f"baseline {limits.baseline} does not exist; write it with "
                             "--update-baseline")
        baseline = load_report(limits.baseline)
    # No tracemalloc run: limits are on RSS, and that run would only cost time.
    report = report_or_boot(params, tracemalloc=False)
    if limits.update_baseline:
        try:
            report.save(Path(limits.baseline))
        except OSError as error:
            raise UsageError(f"cannot write {limits.baseline}: {error.strerror}") from None
        click.echo(f"wrote baseline {limits.baseline}", err=True)
    outcome = run_check(report, limits, project(report, *worker_count(ctx, params)), baseline)
    if server_limits:
        outcome.results += server_results(params, worker_count(ctx, params)[0], server_limits,
                                          limits.tolerance)
    if params["urls_file"] and growth_limit is None:
        raise UsageError("--urls lists the requests of --max-growth-per-request: give it too")
    if growth_limit is not None:
        outcome.results.append(growth_result(params, growth_limit, limits.tolerance))
    emit(render("check", params["fmt"], outcome), params["output"])
    report_to_github(outcome, json_on_stdout=params["fmt"] == "json" and not params["output"])
    return EXIT_OK if outcome.passed else EXIT_FAILED


def measured_limits(ctx: click.Context, params: dict) -> dict[str, int]:
    """--max-worker-uss and --max-total-pss in bytes; they need --server."""
    from ..units import parse_size

    limits = {}
    for name in ("max_worker_uss", "max_total_pss"):
        if params[name] is None:
            continue
        origin = option_origin(ctx, name.replace("_", "-"))
        if not params["server"]:
            raise UsageError(f"{origin} is a limit on real workers: give --server too")
        try:
            limits[name] = parse_size(params[name])
        except ValueError as error:
            raise UsageError(f"{origin}: {error}") from None
    return limits


def size_limit(ctx: click.Context, params: dict, name: str) -> int | None:
    from ..units import parse_size

    if params[name] is None:
        return None
    try:
        return parse_size(params[name])
    except ValueError as error:
        raise UsageError(f"{option_origin(ctx, name.replace('_', '-'))}: {error}") from None


def growth_result(params: dict, limit: int, tolerance):
    """Send the default requests under tracemalloc and judge the traced growth per
    request after the warm-up."""
    from ..model import Result
    from ..requests.run import measure_requests
    from .steps import display, resolve, traffic_of

    target = resolve(params)
    if target.kind not in ("django", "app"):
        raise UsageError("--max-growth-per-request sends requests to a web application: a "
                         "Django project, or --app MOD:ATTR")
    traffic = traffic_of(target, params["urls_file"])
    report = measure_requests(target, traffic, timeout=params["timeout"],
                              display=display(params))
    growth = report.traced
    value = 0 if growth.verdict == "flat" else max(0, round(growth.per_request))
    allowed = tolerance.above(limit)
    what = (f"traced memory added per request after the warm-up ({report.requests} "
            f"requests over {len(report.urls)} URLs, {growth.verdict})")
    top = ", ".join(f"{site.site} {site.bytes_per_request:+.0f} B" for site in report.sites[:3])
    grown = [f"{state.name} ({state.type}, {state.verdict})" for state in report.state
             if state.verdict == "leak"]
    details = [f"top sites: {top}"] if top else []
    details += [f"growing: {', '.join(grown)}"] if grown else []
    ok = value <= allowed
    message = (f"{what}: {value} bytes, limit {limit}" if ok else
               f"{what}: {value} bytes is over the limit of {limit} ({allowed} with the "
               f"{tolerance} tolerance)")
    return Result("max-growth-per-request", "max-growth-per-request", what, ok, message,
                  measured_bytes=value, limit_bytes=limit, allowed_bytes=allowed,
                  details=details)


def server_results(params: dict, workers: int, limits: dict[str, int], tolerance) -> list:
    """Run the real server with the default traffic and judge the measured limits."""
    from ..model import Result
    from ..model.workers import Configuration
    from ..units import mib
    from ..workers.run import measure_configuration
    from .steps import resolve
    from .workers import traffic_plan

    target = resolve(params)
    if target.kind not in ("django", "app"):
        raise UsageError("--server runs a web application: a Django project, or --app "
                         "MOD:ATTR")
    asgi = target.asgi or params["server"] == "uvicorn"
    configuration = Configuration(params["server"],
                                  "sync" if params["server"] == "gunicorn" else None, workers,
                                  interface="asgi" if asgi else "wsgi")
    settings = target.value if target.kind == "django" else None
    plan = traffic_plan({"urls_file": None, "exclude_urls": (), "host": None,
                         "timeout": params["timeout"]}, target, settings)
    run = measure_configuration(target, configuration, plan, requests=1000, rounds=5,
                                timeout=params["timeout"])
    last = run.last
    figures = {
        "max_worker_uss": (max((w.uss for w in last.workers), default=0),
                           f"USS of the largest of {workers} {configuration.name} workers "
                           "after 1000 requests"),
        "max_total_pss": (last.total("pss"), f"total PSS of {configuration.name} with "
                                             f"{workers} workers after 1000 requests"),
    }
    results = []
    for name, limit in limits.items():
        value, what = figures[name]
        allowed = tolerance.above(limit)
        ok = value <= allowed
        message = (f"{what} {mib(value)} MiB, limit {mib(limit)} MiB" if ok else
                   f"{what} {mib(value)} MiB is over the limit of {mib(limit)} MiB "
                   f"({mib(allowed)} MiB with the {tolerance} tolerance)")
        check = name.replace("_", "-")
        results.append(Result(check, check, what, ok, message, measured_bytes=value,
                              limit_bytes=limit, allowed_bytes=allowed,
                              details=run.warnings))
    return results


def worker_count(ctx: click.Context, params: dict) -> tuple[int, str]:
    """How many workers to project, and where that number came from."""
    from ..check.projection import default_workers

    if params["workers"] is None:
        return default_workers()
    if ctx.get_parameter_source("workers") == click.core.ParameterSource.COMMANDLINE:
        return params["workers"], "--workers"
    return params["workers"], "workers in [tool.lazyaudit]"


def report_to_github(outcome, json_on_stdout: bool) -> None:
    """Under GitHub Actions: error annotations (on stdout, which the runner reads; on
    stderr when stdout carries JSON), and the Markdown result in the job summary."""
    import os

    if os.environ.get("GITHUB_ACTIONS") == "true":
        from ..render.check_github import annotations

        workspace = os.environ.get("GITHUB_WORKSPACE")
        for line in annotations(outcome, Path(workspace).resolve() if workspace else None):
            click.echo(line, err=json_on_stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        from ..render import render

        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render("check", "markdown", outcome) + "\n")
        except OSError as error:
            click.echo(f"lazyaudit: warning: cannot write the job summary {summary}: "
                       f"{error.strerror}", err=True)
