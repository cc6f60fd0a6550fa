"""Any document as JSON: its schema is the model's (docs/json-schema.md, docs/ci.md,
docs/fixing.md)."""

import json


def render(document, **_options) -> str:
    return json.dumps(document.to_json(), indent=1)


def render_ranking(report, **_options) -> str:
    """The ranking alone, as `rank --format json` prints it."""
    return json.dumps(report.ranking_document(), indent=1)
