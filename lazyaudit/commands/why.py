"""`lazyaudit why`: the chain of imports that loaded a module at startup."""

from __future__ import annotations

import click

from ..errors import EXIT_FAILED, EXIT_OK
from .options import report_file_option, target_options, with_config
from .steps import report_or_boot


@click.command()
@click.argument("name", metavar="MODULE")
@report_file_option("Read a saved JSON report instead of booting the target.")
@target_options
@with_config
def why(**params) -> int:
    """Show the chain of imports that loaded MODULE at startup."""
    from ..analysis.chain import import_chain
    from ..render.chain import render

    report = report_or_boot(params, tracemalloc=False)   # a chain needs no traced bytes
    name = params["name"]
    if report.module(name) is None:
        similar = sorted(m.name for m in report.modules if name in m.name)[:5]
        hint = f" (similar: {', '.join(similar)})" if similar else ""
        click.echo(f"{name} is not loaded at startup by {report.target}{hint}")
        return EXIT_FAILED
    click.echo(render(import_chain(report, name)))
    return EXIT_OK
