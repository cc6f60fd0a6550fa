"""A report (schema in docs/json-schema.md) or a check's outcome (docs/ci.md) as JSON."""

import json


def render(document) -> str:
    return json.dumps(document.to_json(), indent=1)
