"""lint's findings as text: `path:line:col: CODE message`, one a line, as editors and
other linters print them, then a one-line summary."""

from __future__ import annotations

from ..model.lint import LintFinding, LintReport


def growth(finding: LintFinding) -> str:
    """"confirmed: +2.0 items, +312 B per request" for a finding a requests run confirmed."""
    if not finding.confirmed:
        return ""
    parts = []
    if finding.items_per_request:
        parts.append(f"+{finding.items_per_request:.1f} items")
    if finding.bytes_per_request:
        parts.append(f"+{finding.bytes_per_request:,.0f} B")
    return f"confirmed: {', '.join(parts)} per request"


def summary(report: LintReport) -> str:
    count = len(report.findings)
    confirmed = sum(finding.confirmed for finding in report.findings)
    text = (f"Found {count} finding{'s' if count != 1 else ''}" if count
            else "No findings") + f" in {report.files} files"
    extra = [f"{confirmed} confirmed by the requests report"] if confirmed else []
    if report.suppressed:
        extra.append(f"{report.suppressed} suppressed")
    if report.baselined:
        extra.append(f"{report.baselined} in the baseline")
    if report.skipped:
        extra.append(f"{len(report.skipped)} files skipped")
    return text + (f" ({', '.join(extra)})" if extra else "") + "."


def render(report: LintReport, **_options) -> str:
    lines = []
    for finding in report.findings:
        line = f"{finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}"
        if finding.confirmed:
            line += f" [{growth(finding)}]"
        lines.append(line)
    lines += [f"skipped {entry}" for entry in report.skipped]
    lines.append(summary(report))
    return "\n".join(lines) + "\n"
