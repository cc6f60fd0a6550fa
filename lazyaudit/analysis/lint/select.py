"""Which findings lint reports: PATHS (what is reported, never what is analysed),
select and ignore (codes or their prefixes: `LA50`), per-file ignores (glob ->
codes), `# lazyaudit: ignore[CODE]` comments on the finding's line, and a baseline of
known findings."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import UsageError
from ...model.lint import LintFinding
from .rules import RULES

# `# lazyaudit: ignore` (every rule) or `# lazyaudit: ignore[LA501, LA503]`; a bracket
# that does not close, or holds something else, suppresses nothing.
_SUPPRESSION = re.compile(r"#\s*lazyaudit:\s*ignore(?:\[([A-Za-z0-9_,\s]*)\]|(?![\[\w-]))")


class SelectionError(UsageError):
    """A code or pattern that names no rule."""


@dataclass(slots=True)
class Selection:
    select: list[str] = field(default_factory=list)      # empty: every rule
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)      # absolute; empty: everything
    baseline: Counter = field(default_factory=Counter)   # fingerprint -> findings known

    def validate(self) -> None:
        """Raise SelectionError naming the first code no rule has."""
        codes = self.select + self.ignore + [
            code for codes in self.per_file_ignores.values() for code in codes]
        for code in codes:
            if not code or not any(rule.startswith(code.upper()) for rule in RULES):
                raise SelectionError(f"no rule has the code {code!r} (rules: "
                                     f"{', '.join(RULES)})")


def _matches(code: str, patterns: list[str]) -> bool:
    return any(code.startswith(pattern.upper()) for pattern in patterns)


def apply(findings: list[LintFinding], selection: Selection, root: Path
          ) -> tuple[list[LintFinding], int, int]:
    """(the findings reported, how many were suppressed, how many the baseline knew)."""
    kept, suppressed, baselined = [], 0, 0
    known = Counter(selection.baseline)
    lines: dict[str, list[str]] = {}
    for finding in findings:
        absolute = root / finding.path
        if selection.paths and not any(
                absolute == path or path in absolute.parents for path in selection.paths):
            continue
        if (selection.select and not _matches(finding.code, selection.select)) or \
                _matches(finding.code, selection.ignore) or any(
                    fnmatch.fnmatch(finding.path, pattern) and _matches(finding.code, codes)
                    for pattern, codes in selection.per_file_ignores.items()):
            suppressed += 1
            continue
        if finding.path not in lines:
            try:
                lines[finding.path] = absolute.read_text(encoding="utf-8",
                                                         errors="replace").splitlines()
            except OSError:
                lines[finding.path] = []
        if _suppressed(finding, lines[finding.path]):
            suppressed += 1
            continue
        if known[finding.fingerprint] > 0:
            known[finding.fingerprint] -= 1
            baselined += 1
            continue
        kept.append(finding)
    return kept, suppressed, baselined


def _suppressed(finding: LintFinding, lines: list[str]) -> bool:
    if not 0 < finding.line <= len(lines):
        return False
    match = _SUPPRESSION.search(lines[finding.line - 1])
    if match is None:
        return False
    if match.group(1) is None:
        return True
    codes = [code.strip().upper() for code in match.group(1).split(",") if code.strip()]
    return _matches(finding.code, codes)
