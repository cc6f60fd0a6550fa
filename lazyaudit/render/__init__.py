"""Turn an ImportReport into text: one module per format."""

FORMATS = ("table", "json", "markdown")


def render(report, fmt: str, **options) -> str:
    if fmt == "json":
        from . import json_format
        return json_format.render(report)
    if fmt == "markdown":
        from . import markdown
        return markdown.render(report, **options)
    from . import table
    return table.render(report, **options)
