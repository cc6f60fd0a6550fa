"""The command line: the click group, the commands registered on it, and the one place
where errors become messages and exit codes (see docs/architecture.md).

Exit codes: 0 ok, 1 a check failed (or the answer is "no"), 2 usage or target error.
Heavy modules (libcst, tabulate, the analysis) are imported inside the commands that
need them, so `lazyaudit --help` stays fast and lean.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .commands import COMMANDS
from .errors import EXIT_ERROR, EXIT_FAILED, LazyauditError
from .interrupts import ending_on_signals


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lazyaudit")
def group():
    """Measure what every import costs a Python web worker at startup, and make the
    heavy, rarely used ones lazy."""


for command in COMMANDS:
    group.add_command(command)


def main(args: list[str] | None = None) -> None:
    """Run one command and exit with its code. Every LazyauditError ends here: its
    details (the target's traceback, say), then one line, then its exit code."""
    try:
        with ending_on_signals():
            code = group.main(args=args, standalone_mode=False)
    except LazyauditError as error:
        if error.details:
            click.echo(error.details.rstrip(), err=True)
        click.echo(f"lazyaudit: error: {error.message}", err=True)
        sys.exit(error.exit_code)
    except click.ClickException as error:    # a bad option or argument: one line too
        hint = ""
        if isinstance(error, click.UsageError) and error.ctx is not None:
            hint = f" (see: {error.ctx.command_path} --help)"
        click.echo(f"lazyaudit: error: {error.format_message()}{hint}", err=True)
        sys.exit(error.exit_code if error.exit_code else EXIT_ERROR)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_FAILED)
    sys.exit(code if isinstance(code, int) else 0)
