"""Steps several commands take: boot the target the options describe, read a saved
report, scan and rank the project's code, write the output."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from ..errors import UsageError


def resolve(params: dict):
    """The Target the options describe."""
    from ..target import resolve_target

    return resolve_target(params["project"], django=params["django"], module=params["module"],
                          app=params["app"], script=params["script"], python=params["python"],
                          asgi=params["asgi"])


def boot(params: dict, *, tracemalloc: bool | None = None, shown=None):
    """Measure the target the options describe (raises BootError or TargetError).
    `shown`: the BootDisplay to use, else a new one."""
    from ..assemble import measure

    traced = not params["no_tracemalloc"] if tracemalloc is None else tracemalloc
    return measure(resolve(params), repeat=params["repeat"], tracemalloc=traced,
                   timeout=params["timeout"], display=shown or display(params))


def display(params: dict):
    """Progress on a terminal (unless --quiet), warnings always."""
    from ..progress import BootDisplay

    return BootDisplay.on_stderr(quiet=params["quiet"])


def load_report(path: str):
    from ..model import ImportReport

    return ImportReport.load(Path(path))


def report_or_boot(params: dict, **options):
    """The saved report --report names, else a fresh boot."""
    return load_report(params["report_file"]) if params["report_file"] else boot(params,
                                                                                   **options)


def loads_project_code(report) -> bool:
    """Ranking needs something of the project's own to have been imported."""
    return (report.target.startswith("script:")   # the script itself is the project's code
            or any(module.kind == "first-party" for module in report.modules))


def scan_project(root: Path, params: dict, report=None, scanned: Background | None = None):
    """Parse the project's own files (once per command), or take what `scanned` parsed
    while the target booted; say which were skipped. With the report of a boot,
    modules are named from where the boot imported them (parsed again if the early
    scan named them otherwise)."""
    from ..analysis.sources import boot_roots, scan_tree

    boot = boot_roots(report) if report else []
    tree = scanned.result() if scanned else None
    if tree is None or not tree.names_modules_as(boot):
        tree = scan_tree(root, list(params["exclude"]), boot)
    for skipped in tree.skipped:
        click.echo(f"lazyaudit: {skipped}", err=True)
    return tree


class Background:
    """Work on a thread while the target boots in its own process (on another core):
    lazyaudit's own part of a command then costs little more than the boot."""

    def __init__(self, work, after: threading.Event | None = None):
        self.value, self.error = None, None
        self.thread = threading.Thread(target=self.run, args=(work, after), daemon=True)
        self.thread.start()

    def run(self, work, after: threading.Event | None) -> None:
        if after is not None:
            after.wait()    # (a boot that fails to start leaves a daemon thread waiting)
        try:
            self.value = work()
        except BaseException as error:   # handed to whoever asks for the result
            self.error = error

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def scan_while_booting(params: dict, shown) -> Background:
    """Parse the project's files, and import the analysis, while the target boots:
    once it has started (`shown`, its BootDisplay, says when), as this thread would
    otherwise hold the interpreter lock the boot's start needs."""
    def work():
        from ..analysis import rank   # noqa: F401  (imported now, used after the boot)
        from ..analysis.sources import scan_tree

        return scan_tree(resolve(params).project, list(params["exclude"]))
    return Background(work, after=shown.started)


def rank_into(report, params: dict, tree, confirm: bool = False) -> None:
    """Rank the project's imports of what the boot loaded, and with `confirm` boot what
    fix would write for each safe one: sets `report.ranking`."""
    from ..analysis.coverage_data import executed_lines
    from ..analysis.rank import ranking_of

    min_savings = size_option(params, "min_savings")
    candidates = ranked(report, params, tree, executed_lines(params["coverage_file"])
                        if params["coverage_file"] else None)
    together = confirmed(report, params, tree, candidates) if confirm else None
    report.ranking = ranking_of(report, tree, candidates, min_savings, together)


def ranked(report, params: dict, tree, executed=None) -> list:
    """The candidates for deferral (analysis.rank.Candidate), most private savings first."""
    from ..analysis.rank import rank

    return rank(report, tree, target_python=target_version(params, tree.root, report),
                executed_lines=executed, min_savings=size_option(params, "min_savings"))


def confirmed(report, params: dict, tree, candidates: list):
    """What-if boots of each safe candidate and of all of them (refuting those they do
    not confirm); the boot of all of them."""
    from ..whatif import confirm

    return confirm(report, resolve(params), tree, candidates, repeat=params["repeat"],
                   timeout=params["timeout"], display=display(params))


def size_option(params: dict, name: str) -> int:
    """A size option (`--min-savings 2MiB`) in bytes."""
    from ..units import parse_size

    try:
        return parse_size(params[name])
    except ValueError as error:
        raise UsageError(f"--{name.replace('_', '-')}: {error}") from None


def target_version(params: dict, root: Path, report=None) -> str:
    """The Python the project's code runs on: --target-version, requires-python,
    the booted interpreter's, or that of --python."""
    from ..config import requires_python
    from ..runner import python_version

    if params.get("target_version"):
        return params["target_version"]
    lowest = requires_python(root)
    if lowest:
        return f"{lowest[0]}.{lowest[1]}"
    if report is not None:
        return report.python
    return python_version(params.get("python"))


def check_page_output(fmt: str, output: str | None) -> None:
    """An HTML page printed on a terminal helps no one; a file, pipe or redirect does."""
    if fmt == "html" and output is None and sys.stdout.isatty():
        raise UsageError("--format html writes a web page: give --output FILE "
                         "(or redirect standard output to a file)")


def emit(text: str, output: str | None) -> None:
    """Print the text, or write it to the --output file."""
    if output is None:
        click.echo(text)
        return
    try:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {output}: {error.strerror}") from None
    click.echo(f"wrote {output}", err=True)


def module_list(text: str) -> tuple[str, ...]:
    """'pandas, boto3' -> ('pandas', 'boto3')."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def traffic_of(target, urls_file: str | None, *, walk: bool = False, exclude=(),
               user: str | None = None, **sizes):
    """What `requests` sends (and `check --max-growth-per-request`): the requests of
    `urls_file`, the URL walk, or both; `sizes` (host, warmup, total, rounds, frames)
    where not Traffic's defaults."""
    from ..requests.run import Traffic
    from ..url_list import compile_patterns, read_urls_file

    if user and target.kind != "django":
        raise UsageError("--user logs in through Django's sessions: it needs a Django "
                         "project")
    listed = read_urls_file(urls_file) if urls_file else []
    if urls_file and not listed:
        raise UsageError(f"--urls {urls_file}: no request in it")
    if target.kind != "django" and not listed:
        raise UsageError(f"{target.describe()} is not a Django project: give --urls FILE "
                         "with the requests to send")
    compile_patterns(tuple(exclude))   # a bad pattern: one line, here
    return Traffic(listed, walk=target.kind == "django" and (walk or not listed),
                   exclude=tuple(exclude), user=user, **sizes)
