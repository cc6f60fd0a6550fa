"""Options shared by several commands, declared once, and the [tool.lazyaudit] plumbing.

An option's [tool.lazyaudit] key is its long flag without dashes (`no-tracemalloc`),
or the `config_key` a ConfigOption declares. A value given on the command line wins
over the file; `with_config` fills in the rest before the command runs.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import click

from ..errors import UsageError
from ..render import formats

CONFIG_FILLED = "lazyaudit.config_filled"    # ctx.meta key: the options the file set
# Tables inside [tool.lazyaudit] that one command reads itself ([tool.lazyaudit.lint]).
CONFIG_TABLES = {"lint"}


class ConfigOption(click.Option):
    """An option whose [tool.lazyaudit] entry has another name or shape than on the
    command line: `config_key` is its key, `from_config(value, project_dir)` turns the
    file's value into the option's, raising ValueError with a readable message."""

    def __init__(self, *args, config_key: str | None = None, from_config=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.config_key = config_key
        self.from_config = from_config


class FormatOption(click.Option):
    """`--format` of one kind of document: its choices are that document's renderers.
    Not given on the command line or in the file, it follows `-o FILE`'s extension."""

    def __init__(self, *args, document: str, default: str = "table", **kwargs):
        super().__init__(*args, type=click.Choice(formats(document)), default=default,
                         show_default=True, **kwargs)
        self.document = document


def format_option(document: str, help: str | None = None, default: str = "table"):
    return click.option("--format", "fmt", cls=FormatOption, document=document, help=help,
                        default=default)


def output_option(command):
    return click.option("--output", "-o", metavar="FILE",
                        help="Write the output to FILE.")(command)


def report_file_option(help: str):
    return click.option("--report", "report_file", metavar="FILE", help=help)


def interpreter_from_config(value, project_dir):
    """`python` in the file: a path is relative to the project, a bare name (python3.12)
    is looked up on PATH."""
    if isinstance(value, str) and "/" in value:
        return str(project_dir / value)
    return value


def path_from_config(value, project_dir):
    """A path in the file is relative to the project."""
    if not isinstance(value, str):
        raise ValueError(f"must be a path, not {value!r}")
    return str(project_dir / value)


def stack(*decorators):
    """Apply option decorators in the order they are listed (as --help shows them)."""
    def apply(command):
        for decorator in reversed(decorators):
            command = decorator(command)
        return command
    return apply


target_options = stack(
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
                 from_config=interpreter_from_config,
                 help="The target's interpreter, e.g. the project's venv "
                      "[default: this one]."),
    click.option("--repeat", type=click.IntRange(1, 50), default=1, show_default=True,
                 help="Boot N times and report the median."),
    click.option("--no-tracemalloc", is_flag=True,
                 help="Skip the separate tracemalloc run."),
    click.option("--timeout", type=click.FloatRange(min=1), default=600, show_default=True,
                 help="Seconds one boot may take."),
    click.option("-q", "--quiet", is_flag=True,
                 help="No progress line while the target boots."),
)

def python_version(ctx, param, value):
    """X.Y, e.g. 3.15."""
    if value is not None and not re.fullmatch(r"\d+\.\d+", value):
        raise click.BadParameter(f"not a Python version: {value!r} (e.g. 3.15)")
    return value


exclude_option = click.option("--exclude", multiple=True, metavar="GLOB",
                              help="Skip project files matching GLOB (repeatable).")
# The requests to send, for `requests` and `workers`.
urls_option = click.option(
    "--urls", "urls_file", metavar="FILE",
    help="Requests to send: one path per line, or JSON [{method, path, headers, body}] "
         "[default: every Django URL pattern that needs no argument].")
exclude_urls_option = click.option(
    "--exclude-urls", multiple=True, metavar="PATTERN",
    help="Skip paths matching this regular expression (repeatable).")

scan_options = stack(
    exclude_option,
    click.option("--target-version", metavar="X.Y", callback=python_version,
                 help="Python the code will run on, for the suggested fix "
                      "[default: requires-python, else the target's]."),
)

rank_options = stack(
    scan_options,
    click.option("--coverage", "coverage_file", metavar="FILE",
                 help="A coverage.py data file: say whether the functions that use "
                      "each candidate ever ran."),
    click.option("--min-savings", default="1MiB", show_default=True, metavar="SIZE",
                 help="Show candidates saving at least SIZE of private memory per worker "
                      "(or that would, if their imports could move)."),
    click.option("--all", "show_all", is_flag=True,
                 help="List every candidate, also those saving less or nothing."),
)


def config_keys(param: click.Parameter) -> set[str]:
    """The names a [tool.lazyaudit] key may use for an option: its long flags, or the
    one key it declares (see ConfigOption)."""
    if getattr(param, "config_key", None):
        return {param.config_key}
    return {opt.lstrip("-").replace("-", "_") for opt in param.opts if opt.startswith("--")}


def config_name(param: click.Parameter) -> str:
    """How [tool.lazyaudit] spells the option's key, for messages."""
    return sorted(config_keys(param))[0].replace("_", "-")


def option_origin(ctx: click.Context, name: str) -> str:
    """Where an option's value came from, for its error message: `--max-rss` or
    `[tool.lazyaudit] max-rss`."""
    param = next(p for p in ctx.command.params if p.name == name.replace("-", "_"))
    if ctx.get_parameter_source(param.name) == click.core.ParameterSource.COMMANDLINE:
        return f"--{name}"
    return f"[tool.lazyaudit] {config_name(param)}"


def given_on_command_line(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE


def apply_config(ctx: click.Context, project: str | None) -> None:
    """Fill options not given on the command line from [tool.lazyaudit]."""
    from ..config import load_config

    config, path = load_config(Path(project or "."))
    if path is None:
        return
    commands = ctx.find_root().command.commands.values()
    known = {key for command in commands for param in command.params
             for key in config_keys(param)}
    unknown = sorted(set(config) - known - CONFIG_TABLES)
    if unknown:
        raise UsageError(f"[tool.lazyaudit] in {path}: unknown key {unknown[0]!r}")
    filled = ctx.meta.setdefault(CONFIG_FILLED, set())
    for param in ctx.command.params:
        keys = config_keys(param) & set(config)
        if not keys or param.name == "project" or (
                ctx.get_parameter_source(param.name) != click.core.ParameterSource.DEFAULT):
            continue
        value = config[keys.pop()]
        try:
            if getattr(param, "from_config", None):
                value = param.from_config(value, path.parent)
            else:
                value = config_value(param, value)
            ctx.params[param.name] = param.process_value(ctx, value)
        except ValueError as error:
            raise UsageError(f"[tool.lazyaudit] {config_name(param)}: {error}") from None
        except click.BadParameter as error:
            raise UsageError(f"[tool.lazyaudit] {config_name(param)}: {error.message}") \
                from None
        filled.add(param.name)


def config_value(param: click.Parameter, value):
    """A TOML value as the option takes it; ValueError when its type is wrong (a TOML
    float is never a version: 3.10 would be read as 3.1)."""
    if param.is_flag:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {value!r}")
        return value
    if param.multiple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValueError(f"must be a list of strings, not {value!r}")
        return value
    if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {value!r}")
        return value
    if isinstance(value, list) and param.metavar and param.metavar.endswith(",..."):
        if not all(isinstance(item, str) for item in value):
            raise ValueError(f"must be a list of names, not {value!r}")
        return ",".join(value)            # `select = ["pandas", "boto3"]`
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"must be a string, not the number {value!r}: quote it (unquoted, "
                         "TOML reads 3.10 as the number 3.1)")
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {value!r}")
    return value


def infer_format(ctx: click.Context) -> None:
    """`-o report.json` means JSON unless --format (or the file) says otherwise."""
    from ..render import format_from_output

    for param in ctx.command.params:
        if (isinstance(param, FormatOption) and "output" in ctx.params
                and ctx.get_parameter_source(param.name) == click.core.ParameterSource.DEFAULT
                and param.name not in ctx.meta.get(CONFIG_FILLED, ())):
            inferred = format_from_output(param.document, ctx.params["output"])
            if inferred:
                ctx.params[param.name] = inferred


def with_config(command):
    """Run the command with [tool.lazyaudit] applied and the output format settled."""
    @functools.wraps(command)
    def wrapper(**kwargs):
        ctx = click.get_current_context()
        apply_config(ctx, kwargs.get("project"))
        infer_format(ctx)
        return command(**ctx.params)
    return wrapper


def with_format(command):
    """Settle the output format from `-o FILE` (for commands that read no config)."""
    @functools.wraps(command)
    def wrapper(**kwargs):
        ctx = click.get_current_context()
        infer_format(ctx)
        return command(**ctx.params)
    return wrapper
