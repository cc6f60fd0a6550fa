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
    if limits.empty():
        raise UsageError("no limits to check: give --max-rss, --max-private, --budget, "
                         "--forbid or --baseline, or set them in [tool.lazyaudit]")
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
    emit(render("check", params["fmt"], outcome), params["output"])
    report_to_github(outcome, json_on_stdout=params["fmt"] == "json" and not params["output"])
    return EXIT_OK if outcome.passed else EXIT_FAILED


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
