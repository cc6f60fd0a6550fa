"""Steps several commands take: boot the target the options describe, read a saved
report, scan and rank the project's code, write the output."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import UsageError


def resolve(params: dict):
    """The Target the options describe."""
    from ..target import resolve_target

    return resolve_target(params["project"], django=params["django"], module=params["module"],
                          app=params["app"], script=params["script"], python=params["python"],
                          asgi=params["asgi"])


def boot(params: dict, *, tracemalloc: bool | None = None):
    """Measure the target the options describe (raises BootError or TargetError)."""
    from ..assemble import measure

    traced = not params["no_tracemalloc"] if tracemalloc is None else tracemalloc
    return measure(resolve(params), repeat=params["repeat"], tracemalloc=traced,
                   timeout=params["timeout"], display=display(params))


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
    return any(module.kind == "first-party" for module in report.modules)


def scan_project(root: Path, params: dict, report=None):
    """Parse the project's own files (once per command); say which were skipped.
    With the report of a boot, modules are named from where the boot imported them."""
    from ..analysis.sources import boot_roots, scan_tree

    tree = scan_tree(root, list(params["exclude"]), boot_roots(report) if report else ())
    for skipped in tree.skipped:
        click.echo(f"lazyaudit: {skipped}", err=True)
    return tree


def rank_into(report, params: dict, tree) -> None:
    """Rank the project's imports of what the boot loaded: sets `report.ranking`."""
    from ..analysis.rank import rank_report

    report.ranking = rank_report(report, tree, coverage=params["coverage_file"],
                                 target_python=target_version(params, tree.root, report))


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
