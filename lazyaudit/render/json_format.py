"""Any document as JSON: its schema is the model's (docs/json-schema.md, docs/ci.md,
docs/fixing.md), its layout model/encoding.py's."""

from ..model.encoding import to_text


def render(document, **_options) -> str:
    return to_text(document.to_json())


def render_ranking(report, **_options) -> str:
    """The ranking alone, as `rank --format json` prints it."""
    return to_text(report.ranking_document())
