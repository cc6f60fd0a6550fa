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
FIX_STYLES = ("local", "lazy", "lazy-modules")
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


class ConfigOption(click.Option):
    """An option whose [tool.lazyaudit] entry has another name or shape than on the
    command line: `config_key` is its key, `from_config(value, project_dir)` turns the
    file's value into the option's, raising ValueError with a readable message."""

    def __init__(self, *args, config_key: str | None = None, from_config=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.config_key = config_key
        self.from_config = from_config


def _interpreter_from_config(value, project_dir):
    """`python` in the file: a path is relative to the project, a bare name (python3.12)
    is looked up on PATH."""
    if isinstance(value, str) and "/" in value:
        return str(project_dir / value)
    return value


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
        click.option("--python", "python", metavar="PATH", cls=ConfigOption,
                     from_config=_interpreter_from_config,
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


def scan_options(command):
    """The options of reading the project's own code."""
    options = [
        click.option("--exclude", multiple=True, metavar="GLOB",
                     help="Skip project files matching GLOB (repeatable)."),
        click.option("--target-version", metavar="X.Y",
                     help="Python the code will run on, for the suggested fix "
                          "[default: requires-python, else the target's]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def rank_options(command):
    """The options of the ranking step."""
    options = [
        scan_options,
        click.option("--coverage", "coverage_file", metavar="FILE",
                     help="A coverage.py data file: say whether the functions that use "
                          "each candidate ever ran."),
        click.option("--min-savings", default="1MiB", show_default=True, metavar="SIZE",
                     help="Show candidates saving at least SIZE of private memory per worker "
                          "(or that would, if their imports could move)."),
        click.option("--all", "show_all", is_flag=True,
                     help="List every candidate, also those saving less or nothing."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def config_keys(param: click.Parameter) -> set[str]:
    """The names a [tool.lazyaudit] key may use for an option: its long flags, or the
    one key it declares (see ConfigOption)."""
    if getattr(param, "config_key", None):
        return {param.config_key}
    return {opt.lstrip("-").replace("-", "_") for opt in param.opts if opt.startswith("--")}


def config_name(param: click.Parameter) -> str:
    """How [tool.lazyaudit] spells the option's key, for messages."""
    return sorted(config_keys(param))[0].replace("_", "-")


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
        try:
            if getattr(param, "from_config", None):
                value = param.from_config(value, project_dir)
            ctx.params[param.name] = param.type_cast_value(ctx, value)
        except ValueError as error:
            raise UserError(f"[tool.lazyaudit] {config_name(param)}: {error}") from None
        except click.BadParameter as error:
            raise UserError(f"[tool.lazyaudit] {config_name(param)}: {error.message}") from None


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

    min_savings = size_option(params, "min_savings")
    try:
        report.extra.update(rank_report(report, tree, coverage=params["coverage_file"],
                                        target_python=target_version(params, tree.root,
                                                                     report),
                                        min_savings=min_savings))
    except CoverageError as error:
        raise UserError(str(error)) from None


def size_option(params: dict, name: str) -> int:
    from .units import parse_size

    try:
        return parse_size(params[name])
    except ValueError as error:
        raise UserError(f"--{name.replace('_', '-')}: {error}") from None


def target_version(params: dict, root: Path, report=None) -> str:
    """The Python the project's code runs on: --target-version, requires-python,
    the booted interpreter's, or that of --python."""
    from .config import requires_python

    if params.get("target_version"):
        return params["target_version"]
    lowest = requires_python(root)
    if lowest:
        return f"{lowest[0]}.{lowest[1]}"
    if report is not None:
        return report.python
    if params.get("python"):
        import subprocess

        try:
            return subprocess.run([params["python"], "-c", "import sys; print("
                                   "'%d.%d' % sys.version_info[:2])"], capture_output=True,
                                  text=True, timeout=60, check=True).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            raise UserError(f"cannot run --python {params['python']}") from None
    return "%d.%d" % sys.version_info[:2]


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
    return (report.target.startswith("script:")   # the script itself is the project's code
            or any(module.kind == "first-party" for module in report.modules))


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
@click.option("--top", type=click.IntRange(0), default=25, show_default=True,
              help="How many rows the table shows (0: only the totals).")
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
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATHS]...")
@click.option("--dry-run", is_flag=True,
              help="Print the changes as a unified diff; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if anything would change (for CI and pre-commit).")
@click.option("--style", type=click.Choice(FIX_STYLES), default="local", show_default=True,
              help="local: import inside the functions that use it (any Python); lazy: PEP 810 "
                   "`lazy import` (3.15+); lazy-modules: list it in __lazy_modules__ "
                   "(3.15+, ignored before).")
@click.option("--select", metavar="MOD,...",
              help="Fix these modules wherever the analysis finds it safe, without booting "
                   "the target.")
@click.option("--min-savings", default="1MiB", show_default=True, metavar="SIZE",
              help="Without --select: fix only candidates saving at least SIZE of "
                   "private memory per worker.")
@click.option("--report", "report_file", metavar="FILE",
              help="Rank from a saved JSON report instead of booting the target.")
@click.option("--verify", is_flag=True,
              help="Measure again after writing; run --test-command; on a failed boot or "
                   "failed tests put every file back and exit 1.")
@click.option("--test-command", metavar="CMD",
              help="With --verify: a shell command run in the project, e.g. "
                   "'python manage.py test'.")
@target_options
@scan_options
@click.option("--all", "show_all", is_flag=True,
              help="List every import left alone, also those saving less than "
                   "--min-savings, or nothing.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@with_config
def fix(**params):
    """Defer the heavy imports that are safe to defer: move them into the functions
    that use them, or make them PEP 810 lazy imports.

    Without --select, boots and ranks the target (or reads --report) and fixes the
    `safe` candidates. PATHS limit the files changed. Every import left alone is
    listed with the reason.
    """
    from .codemod.plan import restrict_to_style
    from .codemod.rewrite import rewrite
    from .codemod.summary import Outcome, unified_diff

    mode = _fix_mode(params)
    root = Path(params["project"] or ".").resolve()
    if not root.is_dir():
        raise UserError(f"no such project directory: {params['project']}")
    paths = _fix_paths(params["paths"], root)
    if params["style"] != "local":
        _require_lazy_python(params, root)
    plan, before = _fix_plan(params, root, paths)
    restrict_to_style(plan, params["style"])
    changes, problems = rewrite(plan, params["style"])
    for problem in problems:
        click.echo(f"lazyaudit: {problem}", err=True)
    outcome = Outcome(params["style"], changes, plan.left_alone, problems, mode,
                      show_all=params["show_all"])
    if mode == "write" and changes:
        outcome.verify = _write_and_verify(params, plan, changes, before)
        if outcome.verify and not outcome.verify["ok"]:
            outcome.mode = "restored"
    if mode == "dry-run" and params["fmt"] == "table":
        click.echo(unified_diff(changes), nl=False)
        sys.stdout.flush()   # the diff first, then the summary on stderr
        click.echo(_fix_summary(outcome, "table"), err=True)
    else:
        click.echo(_fix_summary(outcome, params["fmt"]))
    if mode == "check" and changes:
        sys.exit(EXIT_FAILED)
    if outcome.verify and not outcome.verify["ok"]:
        sys.exit(EXIT_FAILED)


def _fix_mode(params: dict) -> str:
    if params["dry_run"] and params["check"]:
        raise UserError("--dry-run and --check do not go together")
    if params["verify"] and (params["dry_run"] or params["check"]):
        raise UserError("--verify writes the files; it does not go with --dry-run or --check")
    given = click.get_current_context().get_parameter_source("test_command")
    if given == click.core.ParameterSource.COMMANDLINE and not params["verify"]:
        raise UserError("--test-command runs only with --verify")   # (the config may set it)
    return "dry-run" if params["dry_run"] else "check" if params["check"] else "write"


def _fix_paths(paths: tuple[str, ...], root: Path) -> list[Path]:
    resolved = []
    for path in paths:
        full = Path(path).resolve()
        if not full.exists():
            raise UserError(f"no such file or directory: {path}")
        if full != root and root not in full.parents:
            raise UserError(f"{path} is outside the project root {root}")
        resolved.append(full)
    return resolved


def _require_lazy_python(params: dict, root: Path) -> None:
    from .analysis.rank import version_tuple

    version = target_version(params, root)
    if version_tuple(version) == (0, 0):
        raise UserError(f"--target-version: not a Python version: {version!r} (e.g. 3.15)")
    if version_tuple(version) < (3, 15):
        raise UserError(f"--style {params['style']} needs Python 3.15 or later, and the code "
                        f"targets {version} (from --target-version, requires-python or the "
                        "interpreter); use --style local, or --target-version 3.15")


def _fix_plan(params: dict, root: Path, paths: list[Path]):
    """The plan, and the boot it came from (when there was one)."""
    from .analysis.sources import scan_tree
    from .codemod.plan import plan_from_candidates, plan_from_selection

    min_savings = size_option(params, "min_savings")
    if params["select"]:
        modules = [name.strip() for name in params["select"].split(",") if name.strip()]
        bad = [name for name in modules if not all(part.isidentifier()
                                                   for part in name.split("."))]
        if bad or not modules:
            raise UserError(f"--select: not a module name: {(bad or [params['select']])[0]!r} "
                            "(give dotted names separated by commas, e.g. pandas,boto3)")
        tree = scan_tree(root, list(params["exclude"]))
        for skipped in tree.skipped:
            click.echo(f"lazyaudit: {skipped}", err=True)
        return plan_from_selection(modules, tree, paths), None
    from .analysis.rank import rank

    report = load_report(params["report_file"]) if params["report_file"] else boot(params)
    if not loads_project_code(report):
        raise UserError(f"{report.target} loads none of the project's own modules at startup; "
                        "nothing to fix (use --select MOD to fix by static analysis alone)")
    tree = scan_project(report, params)
    if tree.root.resolve() != root:
        raise UserError(f"the report is of {tree.root}, not of the project {root}")
    candidates = rank(report, tree, target_python=target_version(params, root, report),
                      min_savings=min_savings)
    before = None if params["report_file"] else report
    return plan_from_candidates(candidates, tree, min_savings, paths), before


def _write_and_verify(params: dict, plan, changes: list, before) -> dict | None:
    """Write the changes; with --verify, measure again and test, and put every file
    back when either fails. Returns what --verify found."""
    from .codemod.files import UnsafePath, restore, write_all

    if params["verify"] and before is None:
        before = boot(params)       # the state before the change, measured the same way
    try:
        written = write_all([(change.path, change.after) for change in changes], plan.root)
    except UnsafePath as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"cannot write {error.filename}: {error.strerror}; nothing changed") \
            from None
    if not params["verify"]:
        return None
    modules = sorted({name for change in changes for move, _ in change.done
                      for name in move.modules})
    result = {"ok": True, "before": before.totals.cost.to_json(), "test_command": None}
    try:
        after = boot(params)
    except UserError as error:
        restore(written)
        click.echo(error.details.rstrip(), err=True)
        click.echo(f"lazyaudit: the target no longer boots ({error.message}); every file is "
                   "put back", err=True)
        sys.exit(EXIT_FAILED)
    result["after"] = after.totals.cost.to_json()
    result["still_loaded"] = [name for name in modules if after.module(name) is not None]
    if params["test_command"]:
        result["test_command"] = params["test_command"]
        result["tests_passed"] = _run_tests(params["test_command"], plan.root,
                                            params["python"] or sys.executable)
        if not result["tests_passed"]:
            restore(written)
            result["ok"] = False
            click.echo("lazyaudit: the test command failed; every file is put back", err=True)
    return result


def _run_tests(command: str, cwd: Path, python: str) -> bool:
    """Run the test command in a shell where `python` is the target's interpreter."""
    import os
    import subprocess

    click.echo(f"running {command}", err=True)
    bin_dir = str(Path(python).absolute().parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(command, shell=True, cwd=cwd, env=env).returncode == 0


def _fix_summary(outcome, fmt: str) -> str:
    from .codemod import summary

    return {"table": summary.to_text, "markdown": summary.to_markdown,
            "json": summary.to_json}[fmt](outcome)


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


def _budgets_from_config(value, project_dir):
    from .check.limits import budgets_from_config
    return budgets_from_config(value)


def _forbid_from_config(value, project_dir):
    from .check.limits import forbid_from_config
    return forbid_from_config(value)


def _path_from_config(value, project_dir):
    """A path in the file is relative to the project."""
    if not isinstance(value, str):
        raise ValueError(f"must be a path, not {value!r}")
    return str(project_dir / value)


@main.command()
@click.option("--report", "report_file", metavar="FILE",
              help="Check a saved JSON report instead of booting the target.")
@target_options
@click.option("--max-rss", metavar="SIZE",
              help="Limit on the startup RSS of one worker, e.g. 300MiB.")
@click.option("--max-private", metavar="SIZE",
              help="Limit on its private (anonymous) RSS: the part every worker pays again.")
@click.option("--budget", multiple=True, metavar="NAME=SIZE", cls=ConfigOption,
              config_key="budgets", from_config=_budgets_from_config,
              help="Limit on a package (top-level NAME: the self RSS of all its modules) "
                   "or a module (dotted NAME: its cumulative RSS). Repeatable; in "
                   "[tool.lazyaudit] the table `budgets`.")
@click.option("--forbid", metavar="MOD,...", cls=ConfigOption, from_config=_forbid_from_config,
              help="Modules that must not be loaded at startup (in [tool.lazyaudit]: a list).")
@click.option("--baseline", metavar="FILE", cls=ConfigOption, from_config=_path_from_config,
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
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write the output to FILE.")
@with_config
def check(**params):
    """Check the target's startup memory against limits, for CI: total and private
    RSS, budgets per package or module, forbidden modules, growth over a baseline.

    Exits 1 when a limit is broken. Under GitHub Actions it also writes error
    annotations, and appends the Markdown result to $GITHUB_STEP_SUMMARY.
    """
    from .check.evaluate import run_check
    from .check.limits import LimitError, parse_limits
    from .check.workers import default_workers, project
    from .render import render_check

    ctx = click.get_current_context()
    try:
        limits = parse_limits(params)
    except LimitError as error:
        raise UserError(f"{_option_origin(ctx, error.option)}: {error.message}") from None
    if limits.empty():
        raise UserError("no limits to check: give --max-rss, --max-private, --budget, "
                        "--forbid or --baseline, or set them in [tool.lazyaudit]")
    baseline = None
    if limits.baseline and not limits.update_baseline:
        if not Path(limits.baseline).exists():
            raise UserError(f"baseline {limits.baseline} does not exist; write it with "
                            "--update-baseline")
        baseline = load_report(limits.baseline)
    # No tracemalloc run: limits are on RSS, and that run would only cost time.
    report = (load_report(params["report_file"]) if params["report_file"]
              else boot({**params, "no_tracemalloc": True}))
    if limits.update_baseline:
        try:
            report.save(Path(limits.baseline))
        except OSError as error:
            raise UserError(f"cannot write {limits.baseline}: {error.strerror}") from None
        click.echo(f"wrote baseline {limits.baseline}", err=True)
    if params["workers"] is None:
        workers, source = default_workers()
    elif ctx.get_parameter_source("workers") == click.core.ParameterSource.COMMANDLINE:
        workers, source = params["workers"], "--workers"
    else:
        workers, source = params["workers"], "workers in [tool.lazyaudit]"
    outcome = run_check(report, limits, project(report, workers, source), baseline)
    emit(render_check(outcome, params["fmt"]), params["output"])
    _report_to_github(outcome, json_on_stdout=params["fmt"] == "json" and not params["output"])
    sys.exit(EXIT_OK if outcome.passed else EXIT_FAILED)


def _option_origin(ctx: click.Context, option: str) -> str:
    """Where a check option's value came from, for its error message."""
    param = next(p for p in ctx.command.params if p.name == option.replace("-", "_"))
    if ctx.get_parameter_source(param.name) == click.core.ParameterSource.COMMANDLINE:
        return f"--{option}"
    return f"[tool.lazyaudit] {config_name(param)}"


def _report_to_github(outcome, json_on_stdout: bool) -> None:
    """Under GitHub Actions: error annotations (on stdout, which the runner reads; on
    stderr when stdout carries JSON), and the Markdown result in the job summary."""
    import os

    if os.environ.get("GITHUB_ACTIONS") == "true":
        from .render.check_github import annotations

        workspace = os.environ.get("GITHUB_WORKSPACE")
        for line in annotations(outcome, Path(workspace).resolve() if workspace else None):
            click.echo(line, err=json_on_stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        from .render import render_check

        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(render_check(outcome, "markdown") + "\n")
        except OSError as error:
            click.echo(f"lazyaudit: warning: cannot write the job summary {summary}: "
                       f"{error.strerror}", err=True)


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
