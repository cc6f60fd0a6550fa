"""`lazyaudit workers`: run the real server with N workers on the target, send it
traffic, and read what its master and every worker cost at ready and after each round."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import EXIT_OK, UsageError
from .options import (exclude_urls_option, format_option, output_option, target_options,
                      urls_option, with_config)
from .steps import check_page_output, emit, resolve, size_option

# The configurations --compare runs, one after another, on the same traffic.
COMPARED = [dict(), dict(preload=True), dict(preload=True, gc_freeze=True),
            dict(preload=True, warm_urls=True, gc_freeze=True)]


@click.command()
@target_options
@click.option("--server", type=click.Choice(["gunicorn", "uvicorn", "granian"]),
              default="gunicorn", show_default=True,
              help="The server to run, from the target's environment.")
@click.option("--worker-class", type=click.Choice(["sync", "gthread", "uvicorn"]),
              default="sync", show_default=True,
              help="gunicorn's worker class (uvicorn: ASGI through uvicorn-worker).")
@click.option("--threads", type=click.IntRange(1),
              help="Threads per worker (gunicorn gthread, granian's blocking threads).")
@click.option("--workers", type=click.IntRange(1),
              help="Worker processes [default: workers in [tool.lazyaudit], else "
                   "2 x cores + 1].")
@click.option("--preload", is_flag=True,
              help="gunicorn: import the app in the master before forking.")
@click.option("--gc-freeze", is_flag=True,
              help="gunicorn: gc.disable() in the master, gc.freeze() before each fork, "
                   "gc.enable() in each worker.")
@click.option("--warm-urls", is_flag=True,
              help="gunicorn --preload, Django: also import the URLconf and every view in "
                   "the master, then close its database connections.")
@click.option("--compare", is_flag=True,
              help="gunicorn: run plain, --preload, --preload --gc-freeze and --preload "
                   "--warm-urls --gc-freeze on the same traffic, beside the paper "
                   "projection, and say which is cheapest.")
@click.option("--server-config", metavar="FILE",
              help="The gunicorn config file to load before lazyaudit's hooks "
                   "[default: gunicorn.conf.py in the project, if any].")
@click.option("--settings", metavar="MODULE",
              help="Django settings module the server runs with (e.g. one with a "
                   "scratch database).")
@urls_option
@exclude_urls_option
@click.option("--list-urls", is_flag=True, help="Print the requests that would be sent, "
                                                "and stop.")
@click.option("--user", metavar="NAME",
              help="Django: send every request logged in as this user (a session made "
                   "in the project's database before the server starts).")
@click.option("--host", metavar="HOST",
              help="Host header [default: Django's first usable ALLOWED_HOSTS entry].")
@click.option("--requests", "requests_total", type=click.IntRange(1), default=1000,
              show_default=True, help="Requests in total, over all rounds.")
@click.option("--rounds", type=click.IntRange(1), default=5, show_default=True,
              help="Checkpoints: the memory is read after each round of requests.")
@click.option("--memory", metavar="SIZE",
              help="Memory the workers may use, to say how many fit [default: "
                   "MemAvailable].")
@format_option("workers", help="html: a page with a chart of the total PSS and of "
                                     "each worker's USS over the requests.")
@output_option
@with_config
def workers(**params) -> int:
    """Run the real server (gunicorn, uvicorn or granian) with N workers on the target,
    send it HTTP traffic over loopback, and read the memory of its master and every
    worker (PSS, USS, shared, Pss_Anon) at ready and after each round.

    The app runs against its configured database, caches and mail: use --settings for
    a safe settings module. Every process started is stopped.
    """
    from ..model.workers import WorkersReport
    from ..render import render
    from ..runner import python_version
    from ..workers.advice import advise, comparisons
    from ..workers.run import measure_configuration

    check_page_output(params["fmt"], params["output"])
    target = resolve(params)
    if target.kind not in ("django", "app"):
        raise UsageError("workers runs a web application: a Django project, or --app "
                         "MOD:ATTR with --urls FILE")
    configurations = configurations_of(params, target)
    settings = params["settings"] or (target.value if target.kind == "django" else None)
    plan = traffic_plan(params, target, settings)
    if params["list_urls"]:
        emit("\n".join(str(request) for request in plan.requests), params["output"])
        return EXIT_OK
    server_config = gunicorn_config(params, target.project)
    memory = size_option(params, "memory") if params["memory"] else None
    if not params["quiet"]:
        click.echo(f"lazyaudit: the app runs against its configured database, caches and "
                   f"mail{f' ({settings})' if settings else ''}; --settings picks another "
                   f"settings module. Sending {params['requests_total']} requests over "
                   f"{len(plan.requests)} URLs to each configuration.", err=True)
    runs = []
    for configuration in configurations:
        if not params["quiet"]:
            click.echo(f"lazyaudit: measuring {configuration.name}, {configuration.size}",
                       err=True)
        runs.append(measure_configuration(
            target, configuration, plan, requests=params["requests_total"],
            rounds=params["rounds"], timeout=params["timeout"],
            server_config=str(server_config) if server_config else None,
            settings=params["settings"], memory=memory))
    report = WorkersReport(target.describe(), python_version(target.python),
                           [str(request) for request in plan.requests], runs)
    if params["compare"]:
        report.projection = projection(params, configurations[0].workers)
        report.comparisons = comparisons(runs, report.projection)
        report.advice = advise(runs, target.project, settings,
                               server_config or target.project / "gunicorn.conf.py")
    emit(render("workers", params["fmt"], report), params["output"])
    return EXIT_OK


def configurations_of(params: dict, target) -> list:
    """The configurations to run, after refusing the options the server cannot do."""
    from ..check.projection import default_workers
    from ..model.workers import Configuration

    server = params["server"]
    ctx = click.get_current_context()
    gunicorn_only = [name for name in ("preload", "gc_freeze", "warm_urls", "compare")
                     if params[name]]
    if server != "gunicorn":
        if gunicorn_only:
            raise UsageError(f"--{gunicorn_only[0].replace('_', '-')} applies to gunicorn "
                             f"only: {server} loads the app in each worker itself")
        if ctx.get_parameter_source("worker_class") == click.core.ParameterSource.COMMANDLINE:
            raise UsageError(f"--worker-class applies to gunicorn only, not {server}")
    if params["warm_urls"] and not params["preload"]:
        raise UsageError("--warm-urls imports the views in gunicorn's master: it needs "
                         "--preload")
    if (params["warm_urls"] or params["compare"]) and target.kind != "django":
        raise UsageError("--warm-urls and --compare import a Django URLconf: they need a "
                         "Django project")
    if params["threads"] and (server == "uvicorn" or (
            server == "gunicorn" and params["worker_class"] != "gthread")):
        raise UsageError("--threads applies to gunicorn's gthread worker class "
                         "(--worker-class gthread) and to granian")
    workers = params["workers"] or default_workers()[0]
    asgi = target.asgi or server == "uvicorn" or (
        server == "gunicorn" and params["worker_class"] == "uvicorn")
    base = dict(server=server, workers=workers, threads=params["threads"],
                worker_class=params["worker_class"] if server == "gunicorn" else None,
                interface="asgi" if asgi else "wsgi")
    if params["compare"]:
        return [Configuration(**base, **flags) for flags in COMPARED]
    return [Configuration(**base, preload=params["preload"], gc_freeze=params["gc_freeze"],
                          warm_urls=params["warm_urls"])]


def traffic_plan(params: dict, target, settings: str | None):
    from ..url_list import Request, exclude, logged_in, read_urls_file
    from ..workers.traffic import Plan, django_urls

    user = params.get("user")
    if user and target.kind != "django":
        raise UsageError("--user logs in through Django's sessions: it needs a Django "
                         "project")
    cookie = None
    if target.kind == "django":
        paths, host, cookie = django_urls(target.python, target.project, settings,
                                          params["timeout"], user)
    if params["urls_file"]:
        requests, origin = read_urls_file(params["urls_file"]), params["urls_file"]
        if target.kind != "django":
            host = "localhost"
    elif target.kind == "django":
        requests, origin = [Request(path) for path in paths], "the URLconf"
    else:
        raise UsageError(f"{target.describe()} is not a Django project: give --urls FILE "
                         "with the requests to send")
    requests, dropped = exclude(requests, tuple(params["exclude_urls"]))
    if not requests:
        raise UsageError(f"no request to send: {origin} gives none"
                         + (" after --exclude-urls" if dropped else ""))
    if cookie:
        requests = logged_in(requests, cookie)
    return Plan(requests, params["host"] or host, origin, dropped)


def gunicorn_config(params: dict, project: Path) -> Path | None:
    if params["server_config"]:
        path = Path(params["server_config"])
        if not path.is_file():
            raise UsageError(f"--server-config {path}: no such file")
        return path.resolve()
    found = project / "gunicorn.conf.py"
    return found if params["server"] == "gunicorn" and found.is_file() else None


def projection(params: dict, workers: int):
    """The paper projection of `check --workers` from one boot of the target."""
    from ..check.projection import project
    from .steps import boot

    return project(boot(params, tracemalloc=False), workers, "--workers")
