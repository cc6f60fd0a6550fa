"""lint's findings as GitHub Actions error annotations (workflow commands)."""

from __future__ import annotations

from pathlib import Path

from ..model.lint import LintReport
from .check_github import escape_data, escape_property
from .lint_text import growth


def render(report: LintReport, workspace: str | None = None, **_options) -> str:
    """One `::error` line per finding, its file relative to `workspace` (the checked-out
    repository, $GITHUB_WORKSPACE) when the project lies inside it."""
    root = Path(report.root).resolve()
    prefix = Path()
    if workspace:
        workspace_root = Path(workspace).resolve()   # /tmp is a link on macOS
        if workspace_root == root or workspace_root in root.parents:
            prefix = root.relative_to(workspace_root)
    lines = []
    for finding in report.findings:
        message = finding.message + (f" [{growth(finding)}]" if finding.confirmed else "")
        properties = [f"file={escape_property((prefix / finding.path).as_posix())}",
                      f"line={finding.line}", f"col={finding.col}",
                      f"title={escape_property('lazyaudit ' + finding.code + ' ' + finding.rule)}"]
        lines.append(f"::error {','.join(properties)}::{escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
