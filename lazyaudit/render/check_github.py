"""GitHub Actions error annotations for the broken limits (workflow commands)."""

from __future__ import annotations

from pathlib import Path

from ..model import CheckOutcome
from .check_table import detail_lines


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(outcome: CheckOutcome, workspace: Path | None = None) -> list[str]:
    """One `::error` line per broken limit. It points at the project's import line when
    one is known and lies inside `workspace` (the checked-out repository)."""
    lines = []
    for result in outcome.failures:
        properties = [f"title={escape_property('lazyaudit ' + result.check)}"]
        if result.site is not None and workspace is not None:
            path = Path(result.site.file)
            if workspace in path.parents:
                properties.append(f"file={escape_property(str(path.relative_to(workspace)))}")
                if result.site.line:
                    properties.append(f"line={result.site.line}")
        message = "\n".join([result.message, *detail_lines(result)])
        lines.append(f"::error {','.join(properties)}::{escape_data(message)}")
    return lines
