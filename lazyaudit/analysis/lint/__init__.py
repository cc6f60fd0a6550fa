"""`lint`: request data kept in state that lives as long as the worker, found statically.

facts.py reads each file's `ast` (the one the source scan parsed), project.py resolves
names across modules, finds the entry points and what they reach, rules.py holds
the rules and their checks; select.py narrows the findings (PATHS, select/ignore,
per-file ignores, suppression comments, baseline). Pure: no printing, no writing.
"""

from __future__ import annotations

from pathlib import Path

from ...model.lint import LintFinding
from ..sources import SourceTree, collector_paused, parse_each
from .facts import module_facts
from .project import Project
from .rules import RULES, check

__all__ = ["RULES", "confirm", "lint_project", "lint_tree", "scan_for_lint"]


def scan_for_lint(root: Path, exclude: list[str] = ()) -> tuple[SourceTree, Project]:
    """The project's files, found, named and parsed as rank's scan does them, and
    what lint needs of each (its facts) read from that one parse. The tree of a file
    is dropped once its facts are read."""
    modules = []

    def read_facts(parsed, path: str, module: str, is_package: bool) -> None:
        modules.append(module_facts(parsed, module, path, is_package))

    tree = parse_each(root, read_facts, exclude)
    return tree, Project(modules)


def lint_project(root: Path, exclude: list[str] = ()) -> tuple[SourceTree, list[LintFinding]]:
    """The files lint read, and every finding on the whole project before any
    selection: scan_for_lint and lint_tree with the garbage collector paused (the facts
    keep parts of every file's tree: hundreds of thousands of objects, no cycles)."""
    with collector_paused():
        scanned = scan_for_lint(root, exclude)
        findings = lint_tree(scanned)
        tree = scanned[0]
        del scanned        # the facts go now, before the collector runs again
    return tree, findings


def lint_tree(scanned: tuple[SourceTree, Project]) -> list[LintFinding]:
    """Every finding on the whole project, before any selection."""
    tree, project = scanned
    return check(project, str(tree.root))


def confirm(findings: list[LintFinding], growth: dict[str, tuple[float, float]]) -> int:
    """Mark the findings whose state a `requests` run saw grow (matched by the state's
    qualified name, never by line); returns how many."""
    count = 0
    for finding in findings:
        if finding.state in growth:
            finding.confirmed = True
            finding.items_per_request, finding.bytes_per_request = growth[finding.state]
            count += 1
    return count
