"""`lazyaudit lint`: request data kept in state that lives as long as the worker."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from .options import exclude_option, format_option, output_option, with_format
from .steps import emit

LINT_TABLE = "[tool.lazyaudit.lint]"
LIST_KEYS = ("select", "ignore", "exclude")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--project", "project", type=click.Path(file_okay=False),
              help="Project directory: everything below it is analysed "
                   "[default: current directory].")
@click.option("--select", metavar="CODE,...",
              help="Report only these rules (codes or prefixes, e.g. LA501,LA50).")
@click.option("--ignore", metavar="CODE,...", help="Never report these rules.")
@exclude_option
@click.option("--baseline", metavar="FILE",
              help="Known findings (written by --write-baseline): report only new ones.")
@click.option("--write-baseline", is_flag=True,
              help="Write the findings to the --baseline FILE and exit 0.")
@click.option("--requests-report", metavar="FILE",
              help="A saved `lazyaudit requests --format json` report: mark the findings "
                   "whose state grew per request as confirmed.")
@format_option("lint", default="text")
@output_option
@with_format
def lint(**params) -> int:
    """Find request data kept in state that lives as long as the worker: module-level
    containers grown per request, `global` assignments, per-request data on middleware
    and other long-lived instances, shared class-level containers, unbounded caches.

    PATHS limit what is reported, never what is analysed. Suppress one finding with
    `# lazyaudit: ignore[CODE]` on its line. Exits 1 with findings, 0 without.
    """
    from ..analysis.lint import confirm, lint_project
    from ..analysis.lint.select import apply
    from ..model import ReportError
    from ..model.lint import LintReport, baseline_from_json, baseline_to_json
    from ..model.encoding import to_text
    from ..render import render

    root = Path(params["project"] or ".").resolve()
    if not root.is_dir():
        raise UsageError(f"--project {params['project']}: no such directory")
    settings = table_settings(root, params)
    selection = settings["selection"]
    selection.paths = [resolve_path(root, path) for path in params["paths"]]
    selection.validate()
    baseline = settings["baseline"]
    if params["write_baseline"] and not baseline:
        raise UsageError("--write-baseline needs --baseline FILE (or baseline in "
                         f"{LINT_TABLE})")
    if baseline and not params["write_baseline"]:
        try:
            selection.baseline = baseline_from_json(Path(baseline).read_text(encoding="utf-8"))
        except OSError as error:
            raise UsageError(f"baseline {baseline}: cannot read ({error.strerror}); write it "
                             "with --write-baseline") from None
        except UnicodeDecodeError:
            raise UsageError(f"baseline {baseline}: not a baseline lint wrote (not UTF-8 "
                             "text)") from None
        except ReportError as error:
            raise UsageError(f"baseline {baseline}: {error.message}") from None
    growth = read_growth(params["requests_report"]) if params["requests_report"] else {}

    tree, everything = lint_project(root, settings["exclude"])
    findings, suppressed, baselined = apply(everything, selection, root)
    if params["write_baseline"]:
        try:
            Path(baseline).write_text(to_text(baseline_to_json(findings)) + "\n",
                                      encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {baseline}: {error.strerror}") from None
        click.echo(f"wrote {baseline}: {len(findings)} known findings", err=True)
        return EXIT_OK
    confirm(findings, growth)
    report = LintReport(str(root), tree.parsed, findings, suppressed, baselined,
                        tree.skipped)
    workspace = os.environ.get("GITHUB_WORKSPACE")     # annotations name repository paths
    emit(render("lint", params["fmt"], report, workspace=workspace).rstrip("\n"),
         params["output"])
    return EXIT_FAILED if findings else EXIT_OK


def resolve_path(root: Path, path: str) -> Path:
    absolute = Path(path).resolve()
    if not absolute.exists():
        raise UsageError(f"{path}: no such file or directory")
    if absolute != root and root not in absolute.parents:
        raise UsageError(f"{path} is outside the project {root}")
    return absolute


def table_settings(root: Path, params: dict) -> dict:
    """select, ignore, per-file-ignores, exclude and baseline: the command line's, else
    [tool.lazyaudit.lint]'s."""
    from ..analysis.lint.select import Selection
    from ..config import load_config

    config, path = load_config(root)
    table = config.get("lint", {}) if path else {}
    if not isinstance(table, dict):
        raise UsageError(f"{LINT_TABLE} in {path} must be a table")
    table = {key.replace("-", "_"): value for key, value in table.items()}
    known = {"select", "ignore", "per_file_ignores", "exclude", "baseline"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise UsageError(f"{LINT_TABLE} in {path}: unknown key {unknown[0]!r}")
    for key in LIST_KEYS:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise UsageError(f"{LINT_TABLE} {key}: must be a list of strings, not {value!r}")
    ignores = table.get("per_file_ignores", {})
    if not isinstance(ignores, dict) or not all(
            isinstance(codes, list) and all(isinstance(code, str) for code in codes)
            for codes in ignores.values()):
        raise UsageError(f"{LINT_TABLE} per-file-ignores: must be a table of glob = "
                         f"[codes], not {ignores!r}")
    baseline = params["baseline"]
    if baseline is None and "baseline" in table:
        if not isinstance(table["baseline"], str):
            raise UsageError(f"{LINT_TABLE} baseline: must be a path, not "
                             f"{table['baseline']!r}")
        baseline = str(path.parent / table["baseline"])
    selection = Selection(
        select=codes(params["select"]) if params["select"] else table.get("select", []),
        ignore=codes(params["ignore"]) if params["ignore"] else table.get("ignore", []),
        per_file_ignores=ignores)
    return {"selection": selection, "baseline": baseline,
            "exclude": list(params["exclude"]) or table.get("exclude", [])}


def codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def read_growth(path: str) -> dict:
    from ..model import ReportError
    from ..model.lint import state_growth

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"--requests-report {path}: cannot read ({error.strerror})") \
            from None
    except ValueError as error:
        raise UsageError(f"--requests-report {path}: not JSON ({error})") from None
    try:
        return state_growth(data)
    except ReportError as error:
        raise UsageError(f"--requests-report {path}: {error.message}") from None
