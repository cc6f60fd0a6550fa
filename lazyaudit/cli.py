"""Command line: parse options, call the pieces, choose exit codes.

Exit codes: 0 ok, 1 a check failed (or the answer is "no"), 2 usage or target error.
Heavy modules (libcst, tabulate, the analysis) are imported inside the commands
that need them, so `lazyaudit --help` stays fast and lean.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from . import __version__

FORMATS = ("table", "json", "markdown")
PAGE_FORMATS = FORMATS + ("html",)      # measure and report can also write an HTML page
EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class UserError(click.ClickException):
    """A clear one-line error (plus optional details, e.g. the target's traceback)."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.details = details

    def show(self, file=None) -> None:
        if self.details:
            click.echo(self.details.rstrip(), err=True)
        click.echo(f"lazyaudit: error: {self.message}", err=True)


def target_options(command):
    """The options every booting command shares."""
    options = [
        click.option("--project", "project", type=click.Path(file_okay=False),
                     help="Project directory: working directory and first sys.path entry "
                          "of the target [default: current directory]."),
        click.option("--django", "django", metavar="SETTINGS",
                     help="Boot a Django project with this settings module "
                          "[default: read from manage.py]."),
        click.option("-m", "--module", "module", metavar="MOD", help="Import a module."),
        click.option("--app", "app", metavar="MOD:ATTR",
                     help="Import a WSGI/ASGI application object."),
        click.option("--script", "script", metavar="FILE", help="Run a script as __main__."),
        click.option("--asgi", is_flag=True,
                     help="Django: build the ASGI application instead of the WSGI one."),
        click.option("--python", "python", metavar="PATH",
                     help="The target's interpreter, e.g. the project's venv "
                          "[default: this one]."),
        click.option("--repeat", type=click.IntRange(1, 50), default=1, show_default=True,
                     help="Boot N times and report the median."),
        click.option("--no-tracemalloc", is_flag=True,
                     help="Skip the separate tracemalloc run."),
        click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True,
                     help="Seconds one boot may take."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def rank_options(command):
    """The options of the ranking step."""
    options = [
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip project files matching GLOB (repeatable)."),
        click.option("--coverage", "coverage_file", metavar="FILE",
                     help="A coverage.py data file: say whether the functions that use "
                          "each candidate ever ran."),
        click.option("--target-version", metavar="X.Y",
                     help="Python the code will run on, for the suggested fix "
                          "[default: the target's]."),
        click.option("--all", "show_all", is_flag=True,
                     help="List every candidate, also small and framework-internal ones."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def config_keys(param: click.Parameter) -> set[str]:
    """The names a [tool.lazyaudit] key may use for an option: its long flags."""
    return {opt.lstrip("-").replace("-", "_") for opt in param.opts if opt.startswith("--")}


def apply_config(ctx: click.Context, project: str | None) -> None:
    """Fill options not given on the command line from [tool.lazyaudit]."""
    from .config import ConfigError, load_config

    project_dir = Path(project or ".").resolve()
    try:
        config = load_config(project_dir)
    except ConfigError as error:
        raise UserError(str(error)) from None
    known = {key for command in main.commands.values() for param in command.params
             for key in config_keys(param)}
    unknown = sorted(set(config) - known)
    if unknown:
        raise UserError(f"[tool.lazyaudit] in {project_dir / 'pyproject.toml'}: unknown key "
                        f"{unknown[0]!r}")
    for param in ctx.command.params:
        keys = config_keys(param) & set(config)
        if not keys or param.name == "project" or (
                ctx.get_parameter_source(param.name) != click.core.ParameterSource.DEFAULT):
            continue
        value = config[keys.pop()]
        if param.name == "python" and isinstance(value, str) and "/" in value:
            value = str(project_dir / value)   # a path in the file is relative to the project
        try:
            ctx.params[param.name] = param.type_cast_value(ctx, value)
        except click.BadParameter as error:
            raise UserError(f"[tool.lazyaudit] {param.name}: {error.message}") from None


def with_config(command):
    @functools.wraps(command)
    def wrapper(**kwargs):
        ctx = click.get_current_context()
        apply_config(ctx, kwargs.get("project"))
        return command(**ctx.params)
    return wrapper


def boot(params: dict, defer: tuple[str, ...] = ()):
    """Measure the target the options describe; raise UserError when it cannot boot."""
    from .assemble import measure
    from .runner import BootError
    from .target import TargetError, resolve_target

    try:
        target = resolve_target(params["project"], django=params["django"],
                                module=params["module"], app=params["app"],
                                script=params["script"], python=params["python"],
                                asgi=params["asgi"])
        return measure(target, repeat=params["repeat"], defer=defer,
                       tracemalloc=not params["no_tracemalloc"], timeout=params["timeout"])
    except TargetError as error:
        raise UserError(str(error)) from None
    except BootError as error:
        raise UserError(error.message, error.details) from None


def scan_project(report, params: dict):
    """Parse the project's own files (once per command); say which were skipped."""
    from .analysis.sources import scan_tree

    tree = scan_tree(Path(report.project), list(params["exclude"]))
    for skipped in tree.skipped:
        click.echo(f"lazyaudit: {skipped}", err=True)
    return tree


def add_ranking(report, params: dict, tree) -> None:
    """Rank the project's imports of what the boot loaded; adds `candidates` to the report."""
    from .analysis.coverage_data import CoverageError
    from .analysis.rank import rank_report

    try:
        report.extra.update(rank_report(report, tree, coverage=params["coverage_file"],
                                        target_python=params["target_version"]))
    except CoverageError as error:
        raise UserError(str(error)) from None


def add_what_if(report, params: dict, modules: tuple[str, ...], tree) -> None:
    """Boot again with `modules` deferred at first-party sites; record the real drop."""
    from .analysis.rank import estimate

    deferred = boot(params, defer=modules)
    estimated, _ = estimate(report, tree, list(modules))
    report.extra["what_if"] = {
        "modules": list(modules),
        "before_rss_bytes": report.totals.rss_bytes, "after_rss_bytes": deferred.totals.rss_bytes,
        "measured_drop": (report.totals.cost - deferred.totals.cost).to_json(),
        "estimated_drop": estimated.to_json(),
        "still_loaded": sorted(name for name in modules if deferred.module(name) is not None),
        "sites": deferred.extra.get("deferred_sites", []),
    }


def loads_project_code(report) -> bool:
    """Ranking needs something of the project's own to have been imported."""
    return any(module.kind == "first-party" for module in report.modules)


def load_report(path: str):
    from .model import ImportReport, ReportError

    try:
        return ImportReport.load(Path(path))
    except ReportError as error:
        raise UserError(str(error)) from None


def check_page_output(fmt: str, output: str | None) -> None:
    """An HTML page printed on a terminal helps no one; a file, pipe or redirect does."""
    if fmt == "html" and output is None and sys.stdout.isatty():
        raise UserError("--format html writes a web page: give --output FILE "
                        "(or redirect standard output to a file)")


def emit(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text)
        return
    try:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lazyaudit")
def main():
    """Measure what every import costs a Python web worker at startup, and make the
    heavy, rarely used ones lazy."""


@main.command()
@target_options
@click.option("--top", type=click.IntRange(1), default=25, show_default=True,
              help="How many rows the table shows.")
@click.option("--by", type=click.Choice(["module", "package"]), default="module",
              show_default=True, help="One row per module, or per package.")
@click.option("--format", "fmt", type=click.Choice(PAGE_FORMATS), default="table",
              show_default=True, help="html: a self-contained page with an icicle chart.")
@click.option("--output", "-o", metavar="FILE", help="Write the output to FILE.")
@rank_options
@click.option("--defer", metavar="MOD,...",
              help="What-if: boot again with these modules deferred at the project's "
                   "import sites, and show the measured drop next to the estimate.")
@click.option("--no-rank", is_flag=True, help="Only measure; do not rank the imports.")
@with_config
def measure(**params):
    """Boot the target in a fresh subprocess and attribute memory and time to every
    module it imports.

    With no target option, boots the Django project in --project (found by its
    manage.py) through django.setup(), its URL patterns and its WSGI application.
    """
    from .render import render

    check_page_output(params["fmt"], params["output"])
    report = boot(params)
    rank_it = not params["no_rank"] and loads_project_code(report)
    tree = scan_project(report, params) if rank_it or params["defer"] else None
    if rank_it:
        add_ranking(report, params, tree)
    if params["defer"]:
        modules = tuple(name.strip() for name in params["defer"].split(",") if name.strip())
        add_what_if(report, params, modules, tree)
    emit(render(report, params["fmt"], **_table_options(params)), params["output"])


@main.command()
@click.option("--report", "report_file", metavar="FILE",
              help="Rank from a saved JSON report instead of booting the target.")
@target_options
@rank_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write the output to FILE.")
@with_config
def rank(**params):
    """Rank the heavy imports in the project's own code: which are safe to defer, and
    what deferring each saves per worker."""
    from .render import render_ranking

    report = load_report(params["report_file"]) if params["report_file"] else boot(params)
    if loads_project_code(report):
        add_ranking(report, params, scan_project(report, params))
    emit(render_ranking(report, params["fmt"], show_all=params["show_all"]), params["output"])


@main.command()
@click.argument("name", metavar="MODULE")
@click.option("--report", "report_file", metavar="FILE",
              help="Read a saved JSON report instead of booting the target.")
@target_options
@with_config
def why(**params):
    """Show the chain of imports that loaded MODULE at startup."""
    from .chain import format_chain

    report = load_report(params["report_file"]) if params["report_file"] else boot(params)
    name = params["name"]
    if report.module(name) is None:
        similar = sorted(m.name for m in report.modules if name in m.name)[:5]
        hint = f" (similar: {', '.join(similar)})" if similar else ""
        click.echo(f"{name} is not loaded at startup by {report.target}{hint}")
        sys.exit(EXIT_FAILED)
    click.echo(format_chain(report, name))


@main.command("report")
@click.argument("report_file", metavar="FILE")
@click.option("--top", type=click.IntRange(1), default=25, show_default=True)
@click.option("--by", type=click.Choice(["module", "package"]), default="module",
              show_default=True)
@click.option("--format", "fmt", type=click.Choice(PAGE_FORMATS), default="table",
              show_default=True, help="html: a self-contained page with an icicle chart.")
@click.option("--output", "-o", metavar="FILE", help="Write the output to FILE.")
@click.option("--all", "show_all", is_flag=True, help="List every candidate.")
def report_command(report_file, top, by, fmt, output, show_all):
    """Render a saved JSON report again, in any format."""
    from .render import render

    check_page_output(fmt, output)
    report = load_report(report_file)
    options = {"fmt": fmt, "top": top, "by": by, "show_all": show_all}
    emit(render(report, fmt, **_table_options(options)), output)


def _table_options(params: dict) -> dict:
    if params["fmt"] == "json":
        return {}
    return {"top": params["top"], "by": params["by"], "show_all": params.get("show_all", False)}
