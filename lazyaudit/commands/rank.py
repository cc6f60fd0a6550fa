"""`lazyaudit rank`: which heavy imports of the project's own code can be deferred."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_OK
from .options import (format_option, output_option, rank_options, report_file_option,
                      target_options, with_config)
from .steps import emit, loads_project_code, rank_into, report_or_boot, scan_project


@click.command()
@report_file_option("Rank from a saved JSON report instead of booting the target.")
@target_options
@rank_options
@click.option("--confirm", is_flag=True,
              help="Boot what fix would write for each safe candidate, and for all of them "
                   "together: show the measured drop beside the estimate, and call "
                   "`refuted` what the boot does not confirm.")
@format_option("ranking")
@output_option
@with_config
def rank(**params) -> int:
    """Rank the heavy imports in the project's own code: which are safe to defer, and
    what deferring each saves per worker."""
    from ..render import render

    report = report_or_boot(params)
    if loads_project_code(report):
        rank_into(report, params, scan_project(Path(report.project), params, report),
                  confirm=params["confirm"])
    emit(render("ranking", params["fmt"], report, show_all=params["show_all"]),
         params["output"])
    return EXIT_OK
