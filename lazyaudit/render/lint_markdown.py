"""lint's findings as Markdown, for pull-request comments and job summaries."""

from __future__ import annotations

from ..model.lint import LintReport
from .lint_text import growth, summary


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: LintReport, **_options) -> str:
    lines = [f"### lazyaudit lint: {summary(report)}", ""]
    if report.findings:
        lines += ["| rule | where | finding | requests |", "| --- | --- | --- | --- |"]
        for finding in report.findings:
            lines.append(f"| [{finding.code}](docs/rules/{finding.code}.md) "
                         f"| `{finding.path}:{finding.line}` | {_cell(finding.message)} "
                         f"| {growth(finding) or '-'} |")
        lines.append("")
    return "\n".join(lines) + "\n"
