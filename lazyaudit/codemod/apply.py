"""The fix transaction: rewrite in memory, write atomically, verify, put back on failure.

It returns a FixOutcome and prints nothing; `notify` hears the steps a user waits on
(the test command starting, files put back).
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Callable

from ..errors import LazyauditError
from ..model import (CHECK, DRY_RUN, RESTORED, WRITE, DeferredImport, FixOutcome, ImportReport,
                     Verification)
from .files import restore, write_all
from .plan import Plan
from .rewrite import FileChange, rewrite


def apply_plan(plan: Plan, style: str, mode: str, *,
               boot: Callable[[], ImportReport] | None = None,
               before: ImportReport | None = None, test_command: str | None = None,
               python: str | None = None,
               notify: Callable[[str], None] = lambda line: None) -> FixOutcome:
    """Rewrite what the plan says. In WRITE mode the files are written; with `boot` (for
    --verify) the project is measured before (unless `before` is given) and after,
    `test_command` is run with `python` first on PATH, and every file is put back when
    the boot or the tests fail."""
    changes, problems = rewrite(plan, style)
    outcome = FixOutcome(style, mode, deferred=deferred_imports(changes),
                         files=[change.relative for change in changes],
                         left_alone=plan.left_alone, problems=problems)
    if mode in (DRY_RUN, CHECK):
        outcome.diff = unified_diff(changes)
    if mode != WRITE or not changes:
        return outcome
    if boot is not None and before is None:
        before = boot()       # the state before the change, measured the same way
    written = write_files(changes, plan.root)
    if boot is not None:
        outcome.verify = verify(changes, written, before, boot, test_command, plan.root,
                                python, notify)
        if not outcome.verify.ok:
            outcome.mode = RESTORED
    return outcome


def write_files(changes: list[FileChange], root: Path) -> list[tuple[Path, bytes]]:
    try:
        return write_all([(change.path, change.after) for change in changes], root)
    except OSError as error:
        raise LazyauditError(f"cannot write {error.filename}: {error.strerror}; "
                             "nothing changed") from None


def verify(changes: list[FileChange], written: list[tuple[Path, bytes]],
           before: ImportReport, boot: Callable[[], ImportReport], test_command: str | None,
           root: Path, python: str | None, notify: Callable[[str], None]) -> Verification:
    from ..runner import BootError, run_tests

    result = Verification(before=before.totals.cost, test_command=test_command)
    try:
        after = boot()
    except BootError as error:
        restore(written)
        result.boot_error, result.boot_details = error.message, error.details
        return result
    modules = sorted({name for change in changes for move, _ in change.done
                      for name in move.modules})
    result.after = after.totals.cost
    result.still_loaded = [name for name in modules if after.module(name) is not None]
    if test_command:
        notify(f"running {test_command}")
        result.tests_passed = run_tests(test_command, root, python)
        if not result.tests_passed:
            restore(written)
            notify("lazyaudit: the test command failed; every file is put back")
    return result


def deferred_imports(changes: list[FileChange]) -> list[DeferredImport]:
    """One entry per import statement changed."""
    deferred = []
    for change in changes:
        done: dict[int, tuple] = {}
        for move, what in change.done:
            done.setdefault(id(move), (move, []))[1].append(what)
        for move, whats in done.values():
            deferred.append(DeferredImport(change.relative, move.statement.line, move.modules,
                                           "; ".join(whats), move.savings_bytes))
    return deferred


def unified_diff(changes: list[FileChange]) -> str:
    parts = []
    for change in changes:
        before = change.before.decode("utf-8", "replace").splitlines(keepends=True)
        after = change.after.decode("utf-8", "replace").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{change.relative}",
                                         f"b/{change.relative}"):
            if not line.endswith("\n"):
                line += "\n\\ No newline at end of file\n"
            parts.append(line)
    return "".join(parts)
