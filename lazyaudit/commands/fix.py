"""`lazyaudit fix`: defer the heavy imports that are safe to defer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..codemod import STYLES
from ..errors import EXIT_FAILED, EXIT_OK, UsageError
from .options import (format_option, given_on_command_line, report_file_option,
                      scan_options, target_options, with_config)
from .steps import (boot, confirmed, loads_project_code, ranked, report_or_boot, scan_project,
                    size_option, target_version)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(), metavar="[PATHS]...")
@click.option("--dry-run", is_flag=True,
              help="Print the changes as a unified diff; write nothing.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if anything would change (for CI and pre-commit).")
@click.option("--style", type=click.Choice(STYLES), default="local", show_default=True,
              help="local: import inside the functions that use it (any Python); lazy: PEP 810 "
                   "`lazy import` (3.15+); lazy-modules: list it in __lazy_modules__ "
                   "(3.15+, ignored before).")
@click.option("--select", metavar="MOD,...",
              help="Fix these modules wherever the analysis finds it safe, without booting "
                   "the target.")
@click.option("--min-savings", default="1MiB", show_default=True, metavar="SIZE",
              help="Without --select: fix only candidates saving at least SIZE of "
                   "private memory per worker.")
@report_file_option("Rank from a saved JSON report instead of booting the target.")
@click.option("--confirm/--no-confirm", default=None,
              help="Without --select: boot what fix would write for each safe candidate "
                   "first, and fix only what the boot confirms [default: --confirm, "
                   "unless --report].")
@click.option("--verify", is_flag=True,
              help="Measure again after writing; run --test-command; on a failed boot or "
                   "failed tests put every file back and exit 1.")
@click.option("--test-command", metavar="CMD",
              help="With --verify: a shell command run in the project, e.g. "
                   "'python manage.py test'.")
@target_options
@scan_options
@click.option("--all", "show_all", is_flag=True,
              help="List every import left alone, also those saving less than "
                   "--min-savings, or nothing.")
@format_option("fix")
@with_config
def fix(**params) -> int:
    """Defer the heavy imports that are safe to defer: move them into the functions
    that use them, or make them PEP 810 lazy imports.

    Without --select, boots and ranks the target (or reads --report) and fixes the
    `safe` candidates. PATHS limit the files changed. Every import left alone is
    listed with the reason.
    """
    from ..codemod.apply import apply_plan
    from ..codemod.plan import restrict_to_style
    from ..model import CHECK, DRY_RUN, WRITE
    from ..render import render

    mode = fix_mode(params)
    root = Path(params["project"] or ".").resolve()
    if not root.is_dir():
        raise UsageError(f"no such project directory: {params['project']}")
    paths = fix_paths(params["paths"], root)
    clean_up_after_a_killed_run(root, removing=mode == WRITE)
    if params["style"] == "lazy":         # new syntax; __lazy_modules__ is ignored before 3.15
        require_lazy_python(params, root)
    plan, before = make_plan(params, root, paths)
    restrict_to_style(plan, params["style"])
    verifying = params["verify"]
    outcome = apply_plan(
        plan, params["style"], mode, boot=(lambda: boot(params)) if verifying else None,
        before=before, test_command=params["test_command"],
        python=params["python"] or sys.executable,
        notify=lambda line: click.echo(line, err=True))
    for problem in outcome.problems:
        click.echo(f"lazyaudit: {problem}", err=True)
    if outcome.verify and outcome.verify.boot_error:
        click.echo(outcome.verify.boot_details.rstrip(), err=True)
        click.echo(f"lazyaudit: the target no longer boots ({outcome.verify.boot_error}); "
                   "every file is put back", err=True)
        return EXIT_FAILED
    summary = render("fix", params["fmt"], outcome, show_all=params["show_all"])
    if mode == DRY_RUN and params["fmt"] == "table":
        click.echo(outcome.diff, nl=False)
        sys.stdout.flush()   # the diff first, then the summary on stderr
        click.echo(summary, err=True)
    else:
        click.echo(summary)
    if mode == CHECK and outcome.files:
        return EXIT_FAILED
    return EXIT_FAILED if outcome.verify and not outcome.verify.ok else EXIT_OK


def clean_up_after_a_killed_run(root: Path, removing: bool) -> None:
    """Remove (when this run writes) or name the temporary files a killed fix left."""
    from ..codemod.files import leftovers

    found = leftovers(root)
    if not found:
        return
    names = ", ".join(str(path.relative_to(root)) for path in found[:3]) + (
        f" and {len(found) - 3} more" if len(found) > 3 else "")
    if removing:
        for path in found:
            path.unlink(missing_ok=True)
        click.echo(f"lazyaudit: removed {len(found)} temporary file"
                   f"{'s' if len(found) != 1 else ''} an interrupted fix left: {names}", err=True)
    else:
        click.echo(f"lazyaudit: warning: {len(found)} temporary file"
                   f"{'s' if len(found) != 1 else ''} an interrupted fix left (the next fix "
                   f"that writes removes them): {names}", err=True)


def fix_mode(params: dict) -> str:
    from ..model import CHECK, DRY_RUN, WRITE

    if params["dry_run"] and params["check"]:
        raise UsageError("--dry-run and --check do not go together")
    if params["verify"] and (params["dry_run"] or params["check"]):
        raise UsageError("--verify writes the files; it does not go with --dry-run or --check")
    if given_on_command_line(click.get_current_context(), "test_command") \
            and not params["verify"]:
        raise UsageError("--test-command runs only with --verify")   # (the config may set it)
    return DRY_RUN if params["dry_run"] else CHECK if params["check"] else WRITE


def fix_paths(paths: tuple[str, ...], root: Path) -> list[Path]:
    resolved = []
    for path in paths:
        full = Path(path).resolve()
        if not full.exists():
            raise UsageError(f"no such file or directory: {path}")
        if full != root and root not in full.parents:
            raise UsageError(f"{path} is outside the project root {root}")
        resolved.append(full)
    return resolved


def require_lazy_python(params: dict, root: Path) -> None:
    from ..analysis.rank import version_tuple

    version = target_version(params, root)
    if version_tuple(version) < (3, 15):
        raise UsageError(f"--style lazy needs Python 3.15 or later, and the code targets "
                         f"{version} (from --target-version, requires-python or the "
                         "interpreter); use --style local or lazy-modules, or "
                         "--target-version 3.15")


def make_plan(params: dict, root: Path, paths: list[Path]):
    """The plan, and the boot it came from (when there was one)."""
    from ..codemod.plan import plan_from_candidates, plan_from_selection

    min_savings = size_option(params, "min_savings")
    if params["select"] is not None:     # never boots: nothing of the project runs
        return plan_from_selection(selected_modules(params["select"]),
                                   scan_project(root, params), paths), None
    report = report_or_boot(params)
    if not loads_project_code(report):
        raise UsageError(f"{report.target} loads none of the project's own modules at startup; "
                         "nothing to fix (use --select MOD to fix by static analysis alone)")
    tree = scan_project(Path(report.project), params, report)
    if tree.root.resolve() != root:
        raise UsageError(f"the report is of {tree.root}, not of the project {root}")
    candidates = ranked(report, params, tree)
    confirm = params["confirm"]
    if confirm is None:     # by default, boot to confirm unless the ranking is a saved one
        confirm = not params["report_file"]
    if confirm:
        confirmed(report, params, tree, candidates)   # refuted ones are left alone
    before = None if params["report_file"] else report
    return plan_from_candidates(candidates, tree, min_savings, paths), before


def selected_modules(text: str) -> list[str]:
    modules = [name.strip() for name in text.split(",") if name.strip()]
    bad = [name for name in modules if not all(part.isidentifier()
                                               for part in name.split("."))]
    if bad or not modules:
        raise UsageError(f"--select: not a module name: {(bad or [text])[0]!r} "
                         "(give dotted names separated by commas, e.g. pandas,boto3)")
    return modules
