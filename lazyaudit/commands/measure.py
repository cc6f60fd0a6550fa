"""`lazyaudit measure`: boot the target and attribute memory and time to every module."""

from __future__ import annotations

import click

from ..errors import EXIT_OK
from .options import (format_option, output_option, rank_options, target_options,
                      with_config)
from .steps import (boot, check_page_output, display, emit, loads_project_code, module_list,
                    rank_into, resolve, scan_project, scan_while_booting)


@click.command()
@target_options
@click.option("--top", type=click.IntRange(0), default=25, show_default=True,
              help="How many rows the table shows (0: only the totals).")
@click.option("--by", type=click.Choice(["module", "package"]), default="module",
              show_default=True, help="One row per module, or per package.")
@format_option("report", help="html: a self-contained page with an icicle chart.")
@output_option
@rank_options
@click.option("--defer", metavar="MOD,...",
              help="What-if: boot again with these modules deferred at the project's "
                   "import sites, and show the measured drop next to the estimate.")
@click.option("--no-rank", is_flag=True, help="Only measure; do not rank the imports.")
@with_config
def measure(**params) -> int:
    """Boot the target in a fresh subprocess and attribute memory and time to every
    module it imports.

    With no target option, boots the Django project in --project (found by its
    manage.py) through django.setup(), its URL patterns and its WSGI application.
    """
    from pathlib import Path

    from ..render import render

    check_page_output(params["fmt"], params["output"])
    shown = display(params)
    scanned = (scan_while_booting(params, shown) if not params["no_rank"] or params["defer"]
               else None)
    report = boot(params, shown=shown)
    rank_it = not params["no_rank"] and loads_project_code(report)
    tree = (scan_project(Path(report.project), params, report, scanned)
            if rank_it or params["defer"] else None)
    if rank_it:
        rank_into(report, params, tree)
    if params["defer"]:
        from ..whatif import what_if

        report.what_if = what_if(report, resolve(params), tree, module_list(params["defer"]),
                                 repeat=params["repeat"],
                                 tracemalloc=not params["no_tracemalloc"],
                                 timeout=params["timeout"], display=display(params))
    emit(render("report", params["fmt"], report, top=params["top"], by=params["by"],
                show_all=params["show_all"]), params["output"])
    return EXIT_OK
