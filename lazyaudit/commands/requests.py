"""`lazyaudit requests`: boot the target like `measure`, send requests through its
application inside the same process, and report what the request phase adds to the
worker and what it keeps: growth per request by allocation site, the project's
containers and caches that grew, objects outliving their request, late imports."""

from __future__ import annotations

import dataclasses

import click

from ..errors import EXIT_OK, UsageError
from .options import (exclude_urls_option, format_option, output_option, target_options,
                      urls_option, with_config)
from .steps import check_page_output, display, emit, resolve, traffic_of


@click.command()
@target_options
@click.option("--settings", metavar="MODULE",
              help="Django settings module to boot with (e.g. one with a scratch "
                   "database).")
@urls_option
@click.option("--walk", is_flag=True,
              help="With --urls: also send every URL pattern that needs no argument.")
@exclude_urls_option
@click.option("--list-urls", is_flag=True,
              help="Boot, print the requests that would be sent, and stop.")
@click.option("--user", metavar="NAME",
              help="Django: send every request logged in as this user (a session made "
                   "in the project's session store).")
@click.option("--host", metavar="HOST",
              help="Host header [default: Django's first usable ALLOWED_HOSTS entry].")
@click.option("--warmup", type=click.IntRange(0), default=2, show_default=True,
              help="Requests per URL before the measured rounds (first hits import "
                   "modules and fill caches).")
@click.option("--requests", "requests_total", type=click.IntRange(1), default=500,
              show_default=True, help="Measured requests in total, over all rounds.")
@click.option("--rounds", type=click.IntRange(2), default=5, show_default=True,
              help="Checkpoints: memory, allocation sites and state are read after each.")
@click.option("--frames", type=click.IntRange(1, 1000), default=30, show_default=True,
              help="Frames tracemalloc keeps per allocation (enough to reach the "
                   "project's code).")
@click.option("--top", type=click.IntRange(0), default=10, show_default=True,
              help="How many allocation sites the table shows.")
@format_option("requests", help="html: a page with charts of the memory, the traced bytes and "
                                    "the containers that grew, over the requests.")
@output_option
@with_config
def requests(**params) -> int:
    """Send requests through the target's application inside the booted process (a
    WSGI environ from the standard library, every response iterated and closed), and
    report what they leave behind: memory over rounds, growth per request by
    allocation site, the project's containers and caches that grew (leak or
    plateau), request objects kept alive, and modules imported while serving.

    The app runs against its configured database, caches and mail: use --settings for
    a safe settings module.
    """
    from ..render import render
    from ..requests.run import list_requests, measure_requests

    check_page_output(params["fmt"], params["output"])
    target = resolve(params)
    if target.kind not in ("django", "app"):
        raise UsageError("requests sends requests to a web application: a Django project, "
                         "or --app MOD:ATTR with --urls FILE")
    if params["settings"]:
        if target.kind != "django":
            raise UsageError("--settings picks a Django settings module: it needs a Django "
                             "project")
        target = dataclasses.replace(target, value=params["settings"])
    traffic = traffic_of(target, params["urls_file"], walk=params["walk"],
                         exclude=tuple(params["exclude_urls"]), user=params["user"],
                         host=params["host"], warmup=params["warmup"],
                         total=params["requests_total"], rounds=params["rounds"],
                         frames=params["frames"])
    if params["list_urls"]:
        emit("\n".join(list_requests(target, traffic, timeout=params["timeout"],
                                     display=display(params))), params["output"])
        return EXIT_OK
    if not params["quiet"]:
        click.echo(f"lazyaudit: the app runs against its configured database, caches and "
                   f"mail{f' ({target.value})' if target.kind == 'django' else ''}; "
                   f"--settings picks another settings module.", err=True)
    report = measure_requests(target, traffic, tracemalloc=not params["no_tracemalloc"],
                              timeout=params["timeout"], display=display(params))
    emit(render("requests", params["fmt"], report, top=params["top"]), params["output"])
    return EXIT_OK
