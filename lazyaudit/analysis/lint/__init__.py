"""`lint`: request data kept in state that lives as long as the worker, found statically.

facts.py reads each file's `ast` (the one the source scan parsed), project.py resolves
names across modules, finds the entry points and what they reach, rules.py holds
the rules and their checks; select.py narrows the findings (PATHS, select/ignore,
per-file ignores, suppression comments, baseline). Pure: no printing, no writing.
"""

from __future__ import annotations

from pathlib import Path

from ...model.lint import LintFinding
from ..sources import SourceTree, scan_tree
from .facts import module_facts
from .project import Project
from .rules import RULES, check

__all__ = ["RULES", "analyse", "confirm", "lint_tree", "scan_for_lint"]


def scan_for_lint(root: Path, exclude: list[str] = ()) -> SourceTree:
    """The project's files, parsed once, their trees kept for lint."""
    return scan_tree(root, exclude, keep_trees=True)


def analyse(tree: SourceTree) -> Project:
    modules = []
    for usage in tree.files:
        if usage.tree is not None:
            modules.append(module_facts(usage.tree, usage.module, usage.path,
                                        usage.is_package))
            usage.tree = None          # done with it: free the memory
    return Project(modules)


def lint_tree(tree: SourceTree) -> list[LintFinding]:
    """Every finding on the whole project, before any selection."""
    return check(analyse(tree), str(tree.root))


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
