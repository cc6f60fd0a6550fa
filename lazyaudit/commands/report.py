"""`lazyaudit report`: render a saved JSON report again, in any format."""

from __future__ import annotations

import click

from ..errors import EXIT_OK
from .options import format_option, output_option, with_format
from .steps import check_page_output, emit, load_report


@click.command("report")
@click.argument("report_file", metavar="FILE")
@click.option("--top", type=click.IntRange(1), default=25, show_default=True)
@click.option("--by", type=click.Choice(["module", "package"]), default="module",
              show_default=True)
@format_option("report", help="html: a self-contained page with an icicle chart.")
@output_option
@click.option("--all", "show_all", is_flag=True, help="List every candidate.")
@with_format
def report(report_file, top, by, fmt, output, show_all) -> int:
    """Render a saved JSON report again, in any format."""
    from ..render import render

    check_page_output(fmt, output)
    emit(render("report", fmt, load_report(report_file), top=top, by=by, show_all=show_all),
         output)
    return EXIT_OK
