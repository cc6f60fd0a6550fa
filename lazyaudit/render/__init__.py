"""Turn a model document into text. One module per format; renderers registered here by
(document, format) and imported only when used, so that `--help` stays lean.

Documents: `report` (ImportReport), `ranking` (ImportReport with its ranking),
`check` (CheckOutcome), `fix` (FixOutcome), `workers` (WorkersReport),
`requests` (RequestsReport), `lint` (LintReport).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

# (document, format) -> "module:function" inside this package, in the order
# formats are offered on the command line.
RENDERERS = {
    ("report", "table"): "table:render",
    ("report", "json"): "json_format:render",
    ("report", "markdown"): "markdown:render",
    ("report", "html"): "html:render",
    ("ranking", "table"): "table:render_candidates",
    ("ranking", "json"): "json_format:render_ranking",
    ("ranking", "markdown"): "markdown:render_ranking",
    ("check", "table"): "check_table:render",
    ("check", "json"): "json_format:render",
    ("check", "markdown"): "check_markdown:render",
    ("fix", "table"): "fix_table:render",
    ("fix", "json"): "json_format:render",
    ("fix", "markdown"): "fix_markdown:render",
    ("workers", "table"): "workers_table:render",
    ("workers", "json"): "json_format:render",
    ("workers", "markdown"): "workers_table:render_markdown",
    ("workers", "html"): "workers_html:render",
    ("requests", "table"): "requests_table:render",
    ("requests", "json"): "json_format:render",
    ("requests", "markdown"): "requests_table:render_markdown",
    ("requests", "html"): "requests_html:render",
    ("lint", "text"): "lint_text:render",
    ("lint", "json"): "json_format:render",
    ("lint", "sarif"): "lint_sarif:render",
    ("lint", "github"): "lint_github:render",
    ("lint", "markdown"): "lint_markdown:render",
}

# What `-o FILE` means when --format is not given.
EXTENSIONS = {".json": "json", ".md": "markdown", ".markdown": "markdown",
              ".html": "html", ".htm": "html", ".txt": "table", ".sarif": "sarif"}


def formats(document: str) -> tuple[str, ...]:
    return tuple(fmt for kind, fmt in RENDERERS if kind == document)


def render(document: str, fmt: str, data, **options) -> str:
    """Render `data` as `fmt`; every renderer takes the options it knows and ignores
    the others."""
    module, function = RENDERERS[(document, fmt)].split(":")
    return getattr(import_module(f"{__name__}.{module}"), function)(data, **options)


def format_from_output(document: str, output: str | None) -> str | None:
    """The format an output file's extension asks for, if this document has it."""
    if output is None:
        return None
    fmt = EXTENSIONS.get(Path(output).suffix.lower())
    return fmt if fmt in formats(document) else None
