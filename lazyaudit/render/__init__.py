"""Turn an ImportReport into text: one module per format."""

def render(report, fmt: str, **options) -> str:
    if fmt == "json":
        from . import json_format
        return json_format.render(report)
    if fmt == "markdown":
        from . import markdown
        return markdown.render(report, **options)
    if fmt == "html":
        from . import html
        return html.render(report, **options)
    from . import table
    return table.render(report, **options)


def render_ranking(report, fmt: str, show_all: bool = False) -> str:
    """Only the candidates: what `lazyaudit rank` prints."""
    if fmt == "json":
        import json
        extra = report.extra
        return json.dumps({"schema": 1, "target": report.target,
                           "candidates": extra.get("candidates", []),
                           "deferral": extra.get("deferral", {}),
                           "min_savings_bytes": extra.get("min_savings_bytes"),
                           "skipped_files": extra.get("skipped_files", [])}, indent=1)
    if fmt == "markdown":
        from . import markdown
        return markdown.render_ranking(report, show_all)
    from . import table
    return table.render_candidates(report, show_all)


def render_check(outcome, fmt: str) -> str:
    """What `lazyaudit check` prints: its limits, verdicts and worker projection."""
    if fmt == "json":
        from . import json_format
        return json_format.render(outcome)
    if fmt == "markdown":
        from . import check_markdown
        return check_markdown.render(outcome)
    from . import check_table
    return check_table.render(outcome)
